"""Stored results: rankings read them, and every change to what they come from removes them."""

import io
from decimal import Decimal as D

from django.test import Client, override_settings

from accounts.models import Agency
from assessments.comparisons import ministry_peers
from assessments.models import Assessment, GradeBand, Instrument, StoredResult
from assessments.services import assessment_scores_set, assessment_upsert
from imports.services import batch_rollback, scores_import
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase
from tests.imports.builders import make_steward, score_workbook

MINISTRY = "กระทรวงอุตสาหกรรม"


def add_peers(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        agency = Agency.objects.create(code=f"peer{n}", name_th=f"หน่วยงาน {n}", ministry=MINISTRY)
        assessment_upsert(
            agency=agency,
            fiscal_year=2563,
            values={"reported_total": D("80.00") + n, "reported_grade": "B"},
        )


def ranking(agency: Agency) -> list[tuple[str, D | None, int | None]]:
    return [(row.agency.code, row.total, row.position) for row in ministry_peers(agency, 2563)]


class StoredResultTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.oie = make_oie_2563(cls.agency)  # published 91.50, A
        cls.steward = make_steward()

    def test_it_stores_each_result_once(self):
        add_peers(2)
        first = ranking(self.agency)
        self.assertEqual(StoredResult.objects.count(), 3)
        self.assertEqual(first[0], ("oie", D("91.50"), 1))
        stored = StoredResult.objects.get(assessment=self.oie)
        self.assertEqual((stored.total, stored.grade), (D("91.50"), "A"))
        with self.assertNumQueries(3):  # the assessments, their stored results, their levels
            self.assertEqual(ranking(self.agency), first)

    def test_a_published_total_changed_through_the_service_changes_the_ranking(self):
        add_peers(2)
        ranking(self.agency)
        assessment_upsert(
            agency=self.agency, fiscal_year=2563, values={"reported_total": D("70.00")}
        )
        self.assertFalse(StoredResult.objects.filter(assessment=self.oie).exists())
        self.assertEqual(StoredResult.objects.count(), 2)  # the peers' stay
        self.assertEqual(ranking(self.agency)[-1], ("oie", D("70.00"), 3))

    def test_a_changed_score_changes_a_computed_total(self):
        oie = Assessment.objects.get(pk=self.oie.pk)
        assessment_upsert(agency=self.agency, fiscal_year=2563, values={"reported_total": None})
        before = ranking(self.agency)[0][1]
        assessment_scores_set(assessment=oie, indicators={4: D("100.00")})
        after = ranking(self.agency)[0][1]
        self.assertGreater(after, before)
        self.assertEqual(StoredResult.objects.get(assessment=oie).total, after)

    def test_a_changed_instrument_version_forgets_the_results_of_its_assessments(self):
        ranking(self.agency)
        band = GradeBand.objects.filter(version=self.oie.version).first()
        band.save()
        self.assertFalse(StoredResult.objects.exists())
        ranking(self.agency)
        instrument = Instrument.objects.filter(version=self.oie.version).first()
        instrument.save()
        self.assertFalse(StoredResult.objects.exists())

    def test_an_import_and_its_rollback_forget_what_they_wrote(self):
        add_peers(1)
        ranking(self.agency)
        workbook = score_workbook(official_results=[[2563, "oie", 95, "AA"]])
        report = scores_import(
            file=io.BytesIO(workbook), file_name="scores.xlsx", user=self.steward, dry_run=False
        )
        self.assertEqual(report.problems, [])
        self.assertEqual(ranking(self.agency)[0], ("oie", D("95.00"), 1))
        self.assertEqual(StoredResult.objects.get(assessment=self.oie).grade, "AA")
        batch_rollback(batch=report.batch, user=self.steward)
        self.assertEqual(ranking(self.agency)[0], ("oie", D("91.50"), 1))

    @override_settings(PAGE_CACHE=False)  # what a render costs (read again: from the cache)
    def test_the_peers_page_costs_the_same_for_2_and_20_peers(self):
        client = Client()
        client.force_login(self.manager)
        url = "/assessments/oie/2563/peers/"
        counts = []
        for start, added, total in ((0, 2, 2), (2, 18, 20)):
            add_peers(added, start=start)
            client.get(url)  # stores the new peers' results
            with self.assertNumQueries(PEERS_PAGE_QUERIES) as queries:
                response = client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, 'data-testid="peer-peer', count=total)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])


# The session, the user, its role groups, the assessment with its agency and version (access), the
# peers, their stored results, the levels of their grades, and the navigation's unread
# notifications, open rounds and the user's agency.
PEERS_PAGE_QUERIES = 10
