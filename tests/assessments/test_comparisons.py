from decimal import Decimal

import pytest

from accounts.models import Agency
from assessments.comparisons import agency_history, indicator_changes, ministry_peers, total_changes
from assessments.services import assessment_scores_set, assessment_upsert, instrument_version_copy
from tests.assessments.builders import load_version_2563, make_oie_2563

pytestmark = pytest.mark.django_db
D = Decimal


def make_history(agency):
    version = load_version_2563()
    for year, total, rank in [(2561, "87.29", 50), (2562, "86.61", 94)]:
        instrument_version_copy(source=version, fiscal_year=year, name_th=f"ITA {year}")
        assessment_upsert(
            agency=agency, fiscal_year=year, values={"reported_total": D(total), "rank": rank}
        )
    make_oie_2563(agency)


def test_it_lists_the_history_ascending(personas, django_assert_num_queries):
    make_history(personas.agency)
    with django_assert_num_queries(11):
        history = agency_history(personas.agency)
    assert [(h.fiscal_year, h.total, h.grade, h.rank) for h in history] == [
        (2561, D("87.29"), "A", 50),
        (2562, D("86.61"), "A", 94),
        (2563, D("91.50"), "A", 22),
    ]
    # Each total is the official one: published for every year here (2563 agrees with its scores).
    assert [h.total_source for h in history] == ["reported", "reported", "reported"]
    assert history[2].rank_of == 146


def test_it_compares_indicators_between_two_years(personas):
    make_history(personas.agency)
    history = agency_history(personas.agency)
    assessment_scores_set(assessment=history[1].assessment, indicators={4: D("78.75")})
    history = agency_history(personas.agency)
    rows = indicator_changes(history, 2562, 2563)
    four = rows[3]
    assert (four.number, four.name_th, four.before, four.after, four.change) == (
        4, "การใช้ทรัพย์สินของราชการ", D("78.75"), D("80.75"), D("2.00")
    )  # fmt: skip
    assert rows[0].change is None
    assert indicator_changes(history, 2550, 2563) == []


def test_it_ranks_the_ministry_peers(personas, django_assert_num_queries):
    make_oie_2563(personas.agency)
    version_year = 2563
    for code, total in [("diw", "93.97"), ("tisi", "91.50"), ("dpim", None)]:
        agency = Agency.objects.get_or_create(
            code=code, defaults={"name_th": code, "ministry": "กระทรวงอุตสาหกรรม"}
        )[0]
        assessment_upsert(
            agency=agency,
            fiscal_year=version_year,
            values={"reported_total": D(total) if total else None},
        )
    Agency.objects.create(code="far", name_th="far", ministry="อื่น")
    expected = [
        ("diw", D("93.97"), 1, False),
        ("tisi", D("91.50"), 2, False),
        ("oie", D("91.50"), 2, True),
        ("dpim", None, None, False),
    ]
    # The assessments lacking a stored result (all of them): the ten queries computing them
    # (assessment_results) and one insert; then the ranked ids, their rows with their stored
    # results, and the levels of the grades shown.
    with django_assert_num_queries(15):
        peers = ministry_peers(personas.agency, 2563)
    assert [(p.agency.code, p.total, p.position, p.is_home) for p in peers] == expected
    # Then nobody is scored again: none lacking, the ranked ids, their rows, their levels.
    with django_assert_num_queries(4):
        peers = ministry_peers(personas.agency, 2563)
    assert [(p.agency.code, p.total, p.position, p.is_home) for p in peers] == expected


def test_it_pairs_each_year_with_its_change_and_keeps_its_bands(personas):
    make_history(personas.agency)
    history = agency_history(personas.agency)
    pairs = total_changes(history)
    assert [(row.fiscal_year, change) for row, change in pairs] == [
        (2561, None),
        (2562, D("-0.68")),
        (2563, D("4.89")),
    ]
    assert history[-1].bands[0] == ("AA", D("95.00")) and history[-1].bands[-1][1] == 0
    assert history[-1].pass_mark == D("85.00")


def test_it_shows_the_computed_total_where_none_was_published(personas):
    make_oie_2563(personas.agency, reported_total=None, reported_grade="")
    (row,) = agency_history(personas.agency)
    assert (row.total, row.total_source, row.grade) == (D("91.50"), "computed", "A")


def test_it_shows_the_published_total_where_it_differs_from_the_scores(personas):
    make_oie_2563(personas.agency, reported_total=D("92.36"), reported_grade="A")
    (row,) = agency_history(personas.agency)
    assert (row.total, row.total_source, row.grade) == (D("92.36"), "reported", "A")


def test_it_leaves_out_later_years_when_asked(personas):
    make_history(personas.agency)
    assert [h.fiscal_year for h in agency_history(personas.agency, up_to=2562)] == [2561, 2562]
