"""Browser journey: an admin runs an IIT round for two units, from opening to the scores.

The admin creates the round, gives two units their populations, opens it and prints a poster;
12 respondents answer on a phone-sized page (390 px), one after another in one browser context
(each submission deletes its draft cookie, so the next starts afresh); the status page shows the
counts against the minimum; the admin closes the round and the unit and organisation scores on
the page equal those computed by hand from the answers (tests.surveys.builders.hand_scores).
"""

import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ita_portal.forms import format_be
from surveys.models import SurveyRound, SurveyUnit
from tests.base import Personas
from tests.e2e.conftest import ARTIFACTS, fits_the_width, login, screenshots
from tests.surveys.builders import YEAR, hand_scores, survey_version

# Six a unit: more than a unit's results need to be shown (SURVEY_MIN_RESPONDENTS, 5); the second
# unit's population (8) leaves it two short of its sample.
RESPONDENTS = 12


def answers_of(n: int) -> dict[str, str]:
    """Respondent n's answers: every option is used, differently in each unit."""
    return {
        "I1": str(n % 4 + 1),
        "I2": str((n // 2) % 4 + 1),
        "I3": str(n % 3 % 2 + 1),
        "I4.1": str((n * 3) % 4 + 1),
        "I4.2": str((n + 2) % 4 + 1),
    }


def by_id(page, testid: str):
    return page.locator(f"[data-testid='{testid}']").first


@pytest.mark.django_db(transaction=True)
def test_it_runs_an_iit_round_from_the_poster_to_the_scores(browser, live_server):
    people = Personas()
    survey_version()
    admin = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 1366, "height": 900}
    )
    admin.set_default_timeout(15_000)
    page = admin.new_page()
    login(page, "admin")

    # The round: IIT of the test version, open from today for a week, two units.
    page.goto("/surveys/")
    page.select_option("#id_instrument", label=f"IIT {YEAR} แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน")
    today = timezone.localdate()
    page.fill("#id_opens_on", format_be(today))
    page.fill("#id_closes_on", format_be(today + timezone.timedelta(days=6)))
    page.click("[data-testid=create-round]")
    expect(by_id(page, "survey-state")).to_have_text("กำลังเตรียม")
    for unit, population in ((people.unit, 6), (people.other_unit, 8)):
        page.select_option("#id_unit", value=str(unit.pk))
        page.fill("#id_population", str(population))
        page.click("[data-testid=add-unit]")
        expect(by_id(page, f"unit-{unit.code}")).to_be_visible()
    page.click("[data-testid=open-round]")
    expect(by_id(page, "survey-state")).to_have_text("เปิดรับคำตอบ")
    expect(by_id(page, f"unit-{people.unit.code}").locator("svg")).to_be_visible()
    screenshots(page, "survey-round-open")

    # The poster: an A4 PDF with the QR code, the link and the closing date.
    survey = SurveyRound.objects.get()
    entries = {e.unit_id: e for e in SurveyUnit.objects.filter(round=survey)}
    first, second = entries[people.unit.pk], entries[people.other_unit.pk]
    printed = page.request.get(f"/surveys/{survey.pk}/units/{first.pk}/poster.pdf")
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    poster = ARTIFACTS / "survey-poster.pdf"
    poster.write_bytes(printed.body())
    text = subprocess.run(
        ["pdftotext", "-raw", str(poster), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"/s/{first.code}/" in text.replace("\n", "")
    assert str(survey.closes_on.year + 543) in text
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(poster), str(ARTIFACTS / "survey-poster")])

    # 12 respondents on a phone without JavaScript, one after another: 6 for each unit.
    phone = browser.new_context(
        base_url=live_server.url,
        locale="th-TH",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,  # the form must work without it
    )
    phone.set_default_timeout(15_000)
    respondent = phone.new_page()
    given = {first.pk: [], second.pk: []}
    for n in range(RESPONDENTS):
        entry = first if n < RESPONDENTS // 2 else second
        answers = answers_of(n)
        respondent.goto(f"/s/{entry.code}/")
        if n == 0:
            expect(by_id(respondent, "pdpa-notice")).to_be_visible()
            assert fits_the_width(respondent)
            screenshots(respondent, "survey-start-phone", widths=(390,))
        respondent.click("[data-testid=start]")
        for screen in (("I1", "I2"), ("I3", "I4.1", "I4.2")):
            for key in screen:
                respondent.click(f"label[for='{key}-{answers[key]}']")
            if n == 0 and screen[0] == "I1":
                expect(by_id(respondent, "progress")).to_have_text("ส่วนที่ 1 จาก 2")
                screenshots(respondent, "survey-form-phone", widths=(390,))
                assert fits_the_width(respondent)
            button = "next" if screen[0] == "I1" else "submit"
            respondent.click(f"[data-testid={button}]")
        expect(by_id(respondent, "thanks")).to_be_visible()
        given[entry.pk].append(answers)
    phone.close()

    # The live status: 6 of the 6 needed for กพบ.; 6 of the 8 (everyone) for ตสน.
    page.goto(f"/surveys/{survey.pk}/status/")
    expect(by_id(page, f"responses-{people.unit.code}")).to_have_text("6")
    expect(by_id(page, f"status-{people.unit.code}")).to_contain_text("ครบแล้ว")
    expect(by_id(page, f"responses-{people.other_unit.code}")).to_have_text("6")
    expect(by_id(page, f"status-{people.other_unit.code}")).to_contain_text("ยังขาดอีก 2")
    expect(by_id(page, "days-left")).to_contain_text("7 วัน")
    screenshots(page, "survey-status")

    # Closing computes the scores; the page shows them equal to the hand computation.
    page.goto(f"/surveys/{survey.pk}/")
    page.click("[data-testid=close-round]")
    expect(by_id(page, "survey-state")).to_have_text("ปิดแล้ว")
    whole = hand_scores(given[first.pk] + given[second.pk])
    expect(by_id(page, "score-organisation")).to_have_text(f"{whole['IIT']:.2f}")
    units = page.locator("[data-testid=result-unit] [data-testid=score-unit]")
    expect(units).to_have_text(
        [
            f"{hand_scores(given[first.pk])['IIT']:.2f}",
            f"{hand_scores(given[second.pk])['IIT']:.2f}",
        ]
    )
    screenshots(page, "survey-results")
    admin.close()
