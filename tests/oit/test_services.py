"""The OIT workflow: a round from the version, assignment, answers, review, approval, checks."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from assessments.models import Assessment
from assessments.services import instrument_version_load
from oit import selectors, services
from oit.models import OitItem, OitLink
from tests.assessments.builders import make_oie_2563, version_2567_data
from tests.base import BaseTestCase, make_user
from tests.measures.builders import PDF_BYTES
from tests.media import TemporaryMediaRoot
from tests.oit.builders import accept, item_of, local_site, make_round


class RoundTests(BaseTestCase):
    def test_it_starts_a_round_with_every_oit_item_of_the_version(self):
        round_ = make_round(self.agency, self.admin)
        codes = list(round_.items.values_list("question__code", flat=True))
        assert len(codes) == 43 and codes[0] == "O1" and codes[-1] == "O43"
        assert set(round_.items.values_list("state", flat=True)) == {OitItem.State.DRAFT}

    def test_it_refuses_a_second_round_and_a_year_without_a_version(self):
        make_round(self.agency, self.admin)
        with self.assertRaises(ValidationError) as caught:
            services.round_create(agency=self.agency, fiscal_year=2563, user=self.admin)
        assert caught.exception.code == "round_exists"
        with self.assertRaises(ValidationError) as caught:
            services.round_create(agency=self.agency, fiscal_year=2599, user=self.admin)
        assert caught.exception.code == "no_version"


class WorkflowTests(TemporaryMediaRoot, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.round = make_round(cls.agency, cls.admin)

    def item(self, code: str = "O1") -> OitItem:
        return item_of(self.round, code)

    def test_it_assigns_an_item_to_a_unit_of_the_agency_only(self):
        services.item_assign(
            item=self.item(),
            user=self.admin,
            unit=self.unit,
            owners=[self.staff],
            due_on=None,
            requirement=" แสดงโครงสร้าง ",
        )
        item = self.item()
        assert item.unit == self.unit and item.requirement == "แสดงโครงสร้าง"
        assert list(item.owners.all()) == [self.staff]
        with self.assertRaises(ValidationError):
            services.item_assign(
                item=item,
                user=self.admin,
                unit=self.foreign_unit,
                owners=[],
                due_on=None,
                requirement="",
            )
        with self.assertRaises(ValidationError):
            services.item_assign(
                item=item,
                user=self.admin,
                unit=None,
                owners=[self.outsider],
                due_on=None,
                requirement="",
            )

    def test_an_answer_keeps_the_checks_of_the_links_it_keeps(self):
        item = self.item()
        services.item_answer(
            item=item,
            user=self.staff,
            status="done",
            explanation="x",
            urls=["https://a.example/1", "https://a.example/2"],
        )
        OitLink.objects.filter(url="https://a.example/1").update(verdict="ok", status_code=200)
        services.item_answer(
            item=item,
            user=self.staff,
            status="done",
            explanation="y",
            urls=["https://a.example/1", "https://a.example/3", "https://a.example/1"],
        )
        links = {link.url: link for link in item.links.all()}
        assert set(links) == {"https://a.example/1", "https://a.example/3"}
        assert links["https://a.example/1"].verdict == "ok"
        assert item.history.filter(history_change_reason="saved").count() == 2

    def test_a_completed_item_needs_evidence_and_a_status_to_go(self):
        item = self.item()
        with self.assertRaises(ValidationError) as caught:
            services.item_submit(item=item, user=self.staff)
        assert "status" in caught.exception.message_dict
        services.item_answer(item=item, user=self.staff, status="done", explanation="", urls=[])
        with self.assertRaises(ValidationError) as caught:
            services.item_submit(item=item, user=self.staff)
        assert caught.exception.code == "no_evidence"
        services.item_file_add(
            item=item,
            user=self.staff,
            file=SimpleUploadedFile("คำสั่ง.pdf", PDF_BYTES, content_type="application/pdf"),
        )
        services.item_submit(item=item, user=self.staff)
        assert self.item().state == OitItem.State.SUBMITTED

    def test_a_file_is_checked_by_its_content(self):
        with self.assertRaises(ValidationError) as caught:
            services.item_file_add(
                item=self.item(),
                user=self.staff,
                file=SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"),
            )
        assert caught.exception.code == "file_content"
        assert not self.item().files.exists()

    def test_review_returns_then_accepts_with_a_value_the_version_allows(self):
        item = self.item()
        services.item_answer(
            item=item,
            user=self.staff,
            status="improving",
            explanation="",
            urls=["https://a.example/"],
        )
        services.item_submit(item=item, user=self.staff)
        with self.assertRaises(ValidationError) as caught:
            services.item_review(
                item=item, user=self.manager, accept=False, score=None, comment=" "
            )
        assert "review_comment" in caught.exception.message_dict
        services.item_review(item=item, user=self.manager, accept=False, score=None, comment="แก้")
        assert self.item().state == OitItem.State.RETURNED
        with self.assertRaises(ValidationError):
            services.item_review(
                item=item, user=self.manager, accept=True, score=Decimal("1"), comment=""
            )
        services.item_submit(item=item, user=self.staff)
        with self.assertRaises(ValidationError) as caught:
            services.item_review(
                item=item, user=self.manager, accept=True, score=Decimal("0.5"), comment=""
            )
        assert "score" in caught.exception.message_dict
        services.item_review(
            item=item, user=self.manager, accept=True, score=Decimal("1"), comment=""
        )
        item = self.item()
        assert item.state == OitItem.State.ACCEPTED and item.score == Decimal("1")
        with self.assertRaises(ValidationError):
            services.item_answer(item=item, user=self.staff, status="done", explanation="", urls=[])

    def test_nobody_accepts_an_item_they_answered_unless_the_agency_allows_it(self):
        item = self.item()
        services.item_answer(
            item=item, user=self.manager, status="done", explanation="", urls=["https://a.example/"]
        )
        services.item_submit(item=item, user=self.manager)
        with self.assertRaises(ValidationError) as caught:
            services.item_review(
                item=item, user=self.manager, accept=True, score=Decimal("1"), comment=""
            )
        assert caught.exception.code == "self_approval"
        self.agency.allow_self_approval = True
        self.agency.save()
        services.item_review(
            item=item, user=self.manager, accept=True, score=Decimal("1"), comment=""
        )
        assert self.item().state == OitItem.State.ACCEPTED

    def test_the_head_approves_only_when_every_item_is_accepted_and_not_their_own(self):
        with self.assertRaises(ValidationError) as caught:
            services.round_approve(round_=self.round, user=self.manager)
        assert caught.exception.code == "items_waiting"
        items = list(self.round.items.select_related("round__agency", "round__version", "question"))
        for item in items[1:]:
            accept(item, writer=self.staff, reviewer=self.admin)
        accept(items[0], writer=self.manager, reviewer=self.admin)
        with self.assertRaises(ValidationError) as caught:
            services.round_approve(round_=self.round, user=self.manager)
        assert caught.exception.code == "self_approval"
        head = self.make_head()
        services.round_approve(round_=self.round, user=head)
        self.round.refresh_from_db()
        assert self.round.is_approved and self.round.approved_by == head
        with self.assertRaises(ValidationError) as caught:
            services.item_assign(
                item=items[0], user=self.admin, unit=None, owners=[], due_on=None, requirement=""
            )
        assert caught.exception.code == "round_approved"

    def make_head(self):
        return make_user("head", Role.MANAGER, self.agency)

    @override_settings(OIT_LINKCHECK_ALLOW_PRIVATE=True)
    def test_link_checks_record_what_they_found(self):
        with local_site() as base:
            services.item_answer(
                item=self.item(),
                user=self.staff,
                status="done",
                explanation="",
                urls=[f"{base}/ok", f"{base}/old", f"{base}/gone"],
            )
            counts = services.links_check(OitLink.objects.order_by("pk"))
        assert counts == {"ok": 1, "moved": 1, "broken": 1}
        moved = OitLink.objects.get(url=f"{base}/old")
        assert moved.final_url == f"{base}/new" and moved.status_code == 200
        assert moved.checked_at is not None and moved.elapsed_ms is not None
        assert moved.history.filter(history_change_reason="checked").exists()


def reviewed_version(year: int = 2569):
    """A version scored by reviewers (0 / 0.5 / 1), items rolled up as their mean."""

    data = version_2567_data(year)
    data.update(
        oit_scoring="reviewer_score", oit_allowed_scores=["0", "0.5", "1"], oit_rollup="item_mean"
    )
    oit = next(i for i in data["instruments"] if i["code"] == "OIT")
    oit["indicators"][0]["sub_indicators"] = [
        {
            "key": "3.1",
            "name_th": "ข้อมูลพื้นฐาน",
            "items": [
                {
                    "code": "O1",
                    "text_th": "ข้อมูลผู้บริหาร",
                    "sub_items": [
                        {"code": "O1.1", "text_th": "ชื่อ-นามสกุล"},
                        {"code": "O1.2", "text_th": "รูปถ่าย"},
                    ],
                },
                {"code": "O2"},
            ],
        },
        {"key": "3.2", "name_th": "การบริหารงาน", "items": [{"code": "O3"}]},
    ]
    return instrument_version_load(data=data)


class SelfAssessmentTests(BaseTestCase):
    """The head-approved self-check becomes the self-assessment's OIT, apart from the official."""

    def approve_all(self, round_, scores: dict[str, str]):

        for item in round_.items.select_related("round__agency", "round__version", "question"):
            accept(
                item,
                writer=self.staff,
                reviewer=self.admin,
                score=scores.get(item.question.code, "1"),
            )
        head = make_user("head", Role.MANAGER, self.agency)
        return services.round_approve(round_=round_, user=head)

    def test_the_approved_2563_round_feeds_the_self_assessment_only(self):

        official = make_oie_2563(self.agency)
        official_answers = official.item_answers.count()
        round_ = make_round(self.agency, self.admin)
        self.approve_all(round_, {"O2": "0"})
        own = Assessment.objects.get(
            agency=self.agency, fiscal_year=2563, kind=Assessment.Kind.SELF
        )
        answers = {a.question.code: a for a in own.item_answers.select_related("question")}
        assert len(answers) == 43 and answers["O2"].present is False and answers["O1"].present
        assert answers["O1"].evidence_url == "https://example.org/O1"
        assert answers["O1"].reviewer_score is None  # present/absent version
        assert official.item_answers.count() == official_answers

    def test_a_reviewer_scored_version_keeps_the_half_score(self):

        reviewed_version(2569)
        round_ = services.round_create(agency=self.agency, fiscal_year=2569, user=self.admin)
        assert selectors.allowed_values(round_.version) == (
            Decimal("0"),
            Decimal("0.5"),
            Decimal("1"),
        )
        self.approve_all(round_, {"O2": "0.5", "O3": "0"})
        own = Assessment.objects.get(
            agency=self.agency, fiscal_year=2569, kind=Assessment.Kind.SELF
        )
        scores = dict(own.item_answers.values_list("question__code", "reviewer_score"))
        assert scores == {"O1": Decimal("1"), "O2": Decimal("0.5"), "O3": Decimal("0")}

        board = selectors.dashboard(round_, timezone.localdate())
        assert board.prediction.oit == Decimal("50.00")  # mean(100, 50, 0): the version's item mean


class ChecklistTests(BaseTestCase):
    """A version's required elements of an item (its sub-items) are the unit's checklist."""

    def test_the_answer_ticks_the_elements_it_shows_and_only_its_own(self):
        reviewed_version(2569)
        round_ = services.round_create(agency=self.agency, fiscal_year=2569, user=self.admin)
        o1, o2 = item_of(round_, "O1"), item_of(round_, "O2")
        assert o1.requirement == "ข้อมูลผู้บริหาร"
        first, second = o1.question.sub_items.order_by("order")
        services.item_answer(
            item=o1, user=self.staff, status="improving", explanation="", urls=[], elements=[first]
        )
        assert list(o1.elements_done.all()) == [first]
        with self.assertRaises(ValidationError) as caught:
            services.item_answer(
                item=o2, user=self.staff, status="done", explanation="", urls=[], elements=[second]
            )
        assert caught.exception.error_dict["elements"][0].code == "element_item"
        assert not o2.elements_done.exists()
        self.client.force_login(self.staff)
        page = self.client.get(f"/oit/items/{o1.pk}/").content.decode()
        assert 'data-testid="elements"' in page and "O1.2 รูปถ่าย" in page
        assert (
            'data-testid="elements"' not in self.client.get(f"/oit/items/{o2.pk}/").content.decode()
        )
