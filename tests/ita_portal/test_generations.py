"""Data generations: which change replaces which token, inside and after transactions."""

import io
from decimal import Decimal as D

from django.apps import apps
from django.db import transaction
from django.test import TestCase, TransactionTestCase

from accounts.models import Agency
from assessments.models import IndicatorScore
from imports.services import batch_rollback, scores_import
from ita_portal import generations
from ita_portal.generations import PORTAL_APPS, SCOPES, UNSHOWN, ministry_scope, tokens
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase, make_agency
from tests.imports.builders import make_steward, score_workbook


class RegistryTests(TestCase):
    def test_every_model_of_the_portal_is_either_traced_or_said_to_be_unshown(self):
        models = {
            model._meta.label
            for model in apps.get_models()
            if model._meta.app_label in PORTAL_APPS and not model.__name__.startswith("Historical")
        }
        self.assertEqual(
            models - set(SCOPES) - set(UNSHOWN), set(), "add them to SCOPES or UNSHOWN"
        )
        self.assertEqual(set(SCOPES) & set(UNSHOWN), set())
        self.assertEqual(set(UNSHOWN) - models, set(), "UNSHOWN names a model that is gone")
        self.assertTrue(all(reason for reason in UNSHOWN.values()))

    def test_every_path_leads_to_an_agency(self):
        for label, (_kinds, path) in SCOPES.items():
            if path in ("", "recipient"):
                continue
            model = apps.get_model(label)
            for name in path.split("__"):
                model = model._meta.get_field(name).related_model
            self.assertEqual(model, Agency, label)


class ScopeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.oie = make_oie_2563(cls.agency)
        cls.steward = make_steward()

    def scopes(self, code: str = "oie") -> list[str]:
        agency = Agency.objects.get(code=code)
        return [
            f"results:{code}",
            f"results-id:{agency.pk}",
            f"plans:{code}",
            ministry_scope(agency.ministry),
            "method",
            "all",
        ]

    def test_a_score_replaces_its_agencys_results_and_ministry_only(self):
        before = tokens(self.scopes())
        score = IndicatorScore.objects.filter(assessment=self.oie).first()
        score.score = D("50.00")
        score.save()
        after = tokens(self.scopes())
        changed = [name for name, a, b in zip(self.scopes(), before, after, strict=True) if a != b]
        self.assertEqual(changed, ["results:oie", f"results-id:{self.agency.pk}", self.scopes()[3]])

    def test_an_instrument_row_replaces_the_method_and_an_agency_replaces_all(self):
        before = tokens(["method", "all", "results:oie"])
        self.oie.version.instruments.first().save()
        middle = tokens(["method", "all", "results:oie"])
        self.assertEqual(
            [a != b for a, b in zip(before, middle, strict=True)], [True, False, False]
        )
        make_agency("new", ministry="กระทรวงอื่น")
        after = tokens(["method", "all", "results:oie"])
        self.assertEqual([a != b for a, b in zip(middle, after, strict=True)], [False, True, False])

    def test_a_login_replaces_nothing_and_a_role_change_replaces_the_users_token(self):
        name = f"user:{self.manager.pk}"
        (before,) = tokens([name])
        self.client.force_login(self.manager)  # saves last_login
        self.assertEqual(tokens([name]), [before])
        self.manager.groups.clear()
        self.assertNotEqual(tokens([name]), [before])

    def test_within_a_transaction_a_scope_is_replaced_again_after_a_read(self):
        with transaction.atomic():
            (first,) = tokens(["results:oie"])
            score = IndicatorScore.objects.filter(assessment=self.oie).first()
            score.save()
            (second,) = tokens(["results:oie"])
            score.save()
            (third,) = tokens(["results:oie"])
        self.assertEqual(len({first, second, third}), 3)

    def test_an_import_and_its_rollback_replace_the_agencies_they_wrote(self):
        other = make_agency("far", ministry="กระทรวงอื่น")
        names = ["results:oie", f"results:{other.code}"]
        before = tokens(names)
        workbook = score_workbook(official_results=[[2563, "oie", 95, "AA"]])
        report = scores_import(
            file=io.BytesIO(workbook), file_name="scores.xlsx", user=self.steward, dry_run=False
        )
        self.assertEqual(report.problems, [])
        middle = tokens(names)
        self.assertEqual([a != b for a, b in zip(before, middle, strict=True)], [True, False])
        batch_rollback(batch=report.batch, user=self.steward)
        after = tokens(names)
        self.assertEqual([a != b for a, b in zip(middle, after, strict=True)], [True, False])


class AfterCommitTests(TransactionTestCase):
    def test_a_change_replaces_its_tokens_again_once_committed(self):
        # With a cache outside the transaction (Redis) another worker can read the new token
        # before the commit and store the old data under it: the second replacement drops it.
        agency = make_agency()
        seen = []
        with transaction.atomic():
            agency.units.create(code="กพบ.", name_th="กลุ่ม")
            seen.append(tokens(["results:oie"])[0])
        seen.append(tokens(["results:oie"])[0])  # replaced again by the commit
        self.assertNotEqual(seen[0], seen[1])

    def test_the_migrations_and_a_flush_replace_all(self):
        (before,) = tokens(["all"])
        generations._migrated(apps.get_app_config("ita_portal"))
        self.assertNotEqual(tokens(["all"]), [before])
