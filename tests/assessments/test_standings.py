"""Stored results: rankings read them, and every change to what they come from removes them."""

import io
import re
from decimal import Decimal as D

from django.test import Client, override_settings

from accounts.models import Agency
from assessments.comparisons import Ranking, ministry_peers
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
        with self.assertNumQueries(4):  # none lacking, the ranked ids, their rows, their levels
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

    def test_the_database_ranks_a_ministry_as_python_would(self):
        # Ties, names that Thai dictionary order would sort otherwise (a leading vowel), and
        # agencies without a total, which come last and unranked.
        for code, name, total in [
            ("kaset", "เกษตร", "91.50"),
            ("khonsong", "ขนส่ง", "91.50"),
            ("krom", "กรม", "91.50"),
            ("top", "หน่วยงานแรก", "97.25"),
            ("none1", "ไม่มีคะแนน", None),
            ("none2", "กองไม่มีคะแนน", None),
        ]:
            agency = Agency.objects.create(code=code, name_th=name, ministry=MINISTRY)
            total = D(total) if total else None
            assessment_upsert(agency=agency, fiscal_year=2563, values={"reported_total": total})
        add_peers(12)
        ranked = ranking(self.agency)  # stores the results the oracle reads
        expected = python_ranking(self.agency)
        self.assertEqual(ranked, expected)
        self.assertEqual(
            [code for code, total, _ in expected if total == D("91.50")],
            ["krom", "khonsong", "oie", "kaset"],  # by code point: ก ข ส(ำนักงาน) เ
        )
        self.assertEqual(expected[-2:], [("none2", None, None), ("none1", None, None)])
        # Where each agency stands, the tied and the unranked included.
        agencies = Agency.objects.in_bulk([code for code, _, _ in expected], field_name="code")
        for index, (code, _, _) in enumerate(expected):
            self.assertEqual(Ranking(agencies[code], 2563).home_index(), index, code)

    @override_settings(PAGE_CACHE=False)
    def test_a_large_ministry_opens_at_the_page_holding_the_users_agency(self):
        for n in range(120):
            agency = Agency.objects.create(
                code=f"big{n}", name_th=f"หน่วยงาน {n:03}", ministry=MINISTRY
            )
            total = D("99.90") - D("0.10") * n  # 84 ahead of OIE's 91.50, one tied with it
            assessment_upsert(agency=agency, fiscal_year=2563, values={"reported_total": total})
        ranked = ranking(self.agency)
        expected = python_ranking(self.agency)
        self.assertEqual(ranked, expected)
        home = [code for code, _, _ in expected].index("oie")
        self.assertEqual((home, expected[home]), (84, ("oie", D("91.50"), 85)))
        client = Client()
        client.force_login(self.manager)
        url = "/assessments/oie/2563/peers/"
        for query, rows in (("", expected[50:100]), ("?page=3", expected[100:])):
            response = client.get(url + query)
            html = response.content.decode()
            shown = PEER_ROW.findall(html)
            self.assertEqual(shown, ["home" if code == "oie" else code for code, _, _ in rows])
            first, last = expected.index(rows[0]) + 1, expected.index(rows[-1]) + 1
            self.assertIn(f"{first}–{last}", response.context["content"])
        self.assertIn('data-testid="peer-home"', client.get(url).content.decode())


PEER_ROW = re.compile(r'data-testid="peer-(?!level)([^"]+)"')


def python_ranking(agency: Agency) -> list[tuple[str, D | None, int | None]]:
    """The ministry's ranking worked out here from the stored results: the oracle for the page."""
    rows = [
        (a.agency.code, a.agency.name_th, a.stored_result.total)
        for a in Assessment.objects.official()
        .filter(fiscal_year=2563, agency__ministry=agency.ministry)
        .select_related("agency", "stored_result")
    ]
    rows.sort(key=lambda row: (row[2] is None, -(row[2] or 0), row[1]))
    ranked: list[tuple[str, D | None, int | None]] = []
    for index, (code, _, total) in enumerate(rows, start=1):
        tied = ranked and total is not None and ranked[-1][1] == total
        position = None if total is None else ranked[-1][2] if tied else index
        ranked.append((code, total, position))
    return ranked


# The session, the user, its role groups, the assessment with its agency and version (access), the
# peers lacking a stored result (none), the user's agency's total and how many peers rank ahead
# of it, how many peers, the page's ranked ids, their rows with their stored results, the levels
# of their grades, and the navigation's unread notifications, open rounds and the user's agency.
PEERS_PAGE_QUERIES = 14
