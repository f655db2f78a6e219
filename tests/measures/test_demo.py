import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from measures.models import Activity, Plan, ProgressReport

pytestmark = pytest.mark.django_db


def test_it_loads_the_seed_plan_exactly_and_idempotently(client):
    call_command("load_demo", force=True, stdout=StringIO())
    call_command("load_demo", force=True, stdout=StringIO())
    plan = Plan.objects.get(agency__code="oie", fiscal_year=2564)
    assert plan.is_published and plan.based_on.fiscal_year == 2563
    assert plan.measures.count() == 5
    activities = Activity.objects.filter(measure__plan=plan)
    assert [a.number for a in activities] == ["1.1", "2.1", "3.1", "4.1", "5.1", "5.2"]
    assert {a.deadline for a in activities} == {dt.date(2021, 3, 31)}
    owners = {a.number: sorted(u.code for u in a.units.all()) for a in activities}
    assert owners["5.1"] == ["กปส.สส.", "กพบ.", "ตสน."]
    assert owners["5.2"] == ["กบท.สส.", "กปส.สส.", "กพบ."]
    assert activities.get(number="5.2").steps.count() == 4
    assert activities.get(number="3.1").lead_unit.code == "กคพ.สส."
    assert "สตง." not in {u.code for a in activities for u in a.units.all()}
    questions = {
        m.number: sorted(m.questions.values_list("code", flat=True)) for m in plan.measures.all()
    }
    assert questions[1] == ["I13", "I14", "I15", "I18"]
    assert questions[5] == ["I29", "I30"]
    rounds = list(plan.rounds.all())
    assert [(r.name_th, r.period_start, r.period_end) for r in rounds] == [
        ("รอบ 6 เดือน", dt.date(2020, 10, 1), dt.date(2021, 3, 31)),
        ("รอบ 12 เดือน", dt.date(2020, 10, 1), dt.date(2021, 9, 30)),
    ]
    states = sorted(ProgressReport.objects.values_list("state", flat=True))
    assert states == ["approved", "draft", "submitted"]
    response = client.get("/public/oie/2564/")
    assert response.status_code == 200
    assert "มาตรการแก้ไขการทุจริตภายในหน่วยงาน" in response.content.decode()


def test_it_gives_the_seed_plan_official_figures_of_approved_reports_only(client):
    from decimal import Decimal

    from measures import selectors

    call_command("load_demo", force=True, stdout=StringIO())
    plan = Plan.objects.get(agency__code="oie", fiscal_year=2564)
    board = selectors.dashboard(plan, dt.date(2021, 4, 20))
    figures = {
        row.label.split(".")[0]: (row.mean_percent, row.awaiting_review) for row in board.by_measure
    }
    # 1.1 approved at 100 %; 4.1 submitted at 70 % waits; 5.1's draft at 40 % is not counted.
    assert figures == {
        "1": (Decimal("100.00"), 0),
        "2": (Decimal("0.00"), 0),
        "3": (Decimal("0.00"), 0),
        "4": (Decimal("0.00"), 1),
        "5": (Decimal("0.00"), 0),
    }
    progress = selectors.round_progress(plan, plan.rounds.get(number=1))
    assert (progress.mean_percent, progress.approved, progress.awaiting_review) == (
        Decimal("16.67"),
        1,
        1,
    )
    overview = selectors.plan_overview(plan)
    approved = {a.number: a.latest_approved for m in overview.measures for a in m.activities}
    assert approved["1.1"].percent == 100
    assert approved["4.1"] is None and approved["5.1"] is None
    assert overview.awaiting_review == 1


def test_the_demo_stores_nothing_the_seed_does_not_give(client):
    call_command("load_demo", force=True, stdout=StringIO())
    activities = Activity.objects.filter(measure__plan__fiscal_year=2564)
    assert {a.cadence for a in activities} == {"six_monthly"}
    assert not activities.exclude(budget_planned=None).exists()
    assert not activities.exclude(budget_spent=None).exists()
    assert all(a.months == [] for a in activities)
    assert not activities.filter(owners__isnull=False).exists()
    assert not activities.filter(indicators__isnull=False).exists()
    client.force_login(User.objects.get(username="admin"))
    html = client.get("/measures/2564/").content.decode()
    assert 'data-testid="timeline"' not in html and 'data-testid="budget-' not in html
