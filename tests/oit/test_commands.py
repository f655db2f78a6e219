"""`manage.py check_oit_links`: checks the links of open rounds, or one round, now or queued."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from oit import services
from oit.models import OitLink, OitRound
from tests.base import BaseTestCase
from tests.oit.builders import item_of, local_site, make_round

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(OIT_LINKCHECK_ALLOW_PRIVATE=True, TASKS=IMMEDIATE)
class CheckLinksCommandTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.round = make_round(cls.agency, cls.admin)

    def answer(self, code: str, urls: list[str]) -> None:
        services.item_answer(
            item=item_of(self.round, code),
            user=self.staff,
            status="done",
            explanation="",
            urls=urls,
        )

    def test_it_checks_every_link_of_the_open_rounds_and_says_how_many(self):
        with local_site() as base:
            self.answer("O1", [f"{base}/ok", f"{base}/old"])
            self.answer("O2", [f"{base}/private"])
            out = StringIO()
            call_command("check_oit_links", stdout=out)
        assert out.getvalue().strip() == "3 link(s) checked: login 1, moved 1, ok 1"
        assert not OitLink.objects.filter(checked_at=None).exists()

    def test_it_leaves_approved_rounds_alone_and_checks_one_round_when_asked(self):
        with local_site() as base:
            self.answer("O1", [f"{base}/ok"])
            OitRound.objects.filter(pk=self.round.pk).update(state=OitRound.State.APPROVED)
            out = StringIO()
            call_command("check_oit_links", stdout=out)
            assert out.getvalue().strip() == "0 link(s) checked: none"
            call_command("check_oit_links", "--agency", "oie", "--year", "2563", stdout=out)
        assert OitLink.objects.get().verdict == "ok"

    def test_it_refuses_half_a_round_and_an_unknown_round(self):
        with pytest.raises(CommandError, match="both"):
            call_command("check_oit_links", "--agency", "oie")
        with pytest.raises(CommandError, match="No OIT round"):
            call_command("check_oit_links", "--agency", "oie", "--year", "2599")

    @override_settings(TASKS=DATABASE)
    def test_it_queues_the_check_for_the_worker(self):
        out = StringIO()
        call_command("check_oit_links", "--background", stdout=out)
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "oit.tasks.check_links" and out.getvalue().startswith("queued:")
