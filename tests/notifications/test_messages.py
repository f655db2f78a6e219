"""Each kind of notification written out in Thai and English, dates in the Buddhist Era."""

import pytest

from notifications import messages
from notifications.models import Notification

Kind = Notification.Kind
REPORT = {
    "actor": "สมชาย",
    "activity": "5.1",
    "title_th": "ใช้ผลการตรวจสอบภายใน",
    "title_en": "Use internal audit findings",
    "round_th": "รอบ 6 เดือน",
    "round_en": "6-month round",
}
ROUND = {
    "round_th": "รอบ 12 เดือน",
    "round_en": "12-month round",
    "year": 2564,
    "due": "2021-10-15",
    "title_th": "มาตรการ 2564",
    "title_en": "",
}


@pytest.mark.parametrize(
    ("kind", "params", "lang", "headline"),
    [
        (Kind.SUBMITTED, REPORT, "th", "สมชาย ส่งรายงานของกิจกรรม 5.1 (รอบ 6 เดือน) ให้พิจารณา"),
        (Kind.APPROVED, REPORT, "en", "สมชาย approved the report of activity 5.1 (6-month round)"),
        (Kind.ASSIGNED, REPORT, "th", "สมชาย กำหนดให้คุณเป็นผู้รับผิดชอบกิจกรรม 5.1"),
        (
            Kind.ROUND_OPENED,
            ROUND,
            "th",
            "เปิดรอบ 12 เดือน ของแผนปี 2564 แล้ว กำหนดส่งรายงาน 15 ต.ค. 2564",
        ),
        (
            Kind.ROUND_OPENED,
            ROUND,
            "en",
            "12-month round of the 2564 plan is open: reports are due on 15 Oct 2564",
        ),
        (
            Kind.ROUND_CLOSED,
            ROUND,
            "th",
            "ปิดรอบ 12 เดือน ของแผนปี 2564 แล้ว ไม่สามารถแก้ไขรายงานได้อีก",
        ),
    ],
)
def test_it_writes_each_kind_in_the_language_asked(kind, params, lang, headline):
    message = messages.write(Notification(kind=kind, params=params, link="/x/"), lang)
    assert message.headline == headline


def test_it_falls_back_to_the_thai_title_and_links_absolutely(settings):
    settings.PORTAL_URL = "https://ita.oie.example"
    message = messages.write(
        Notification(kind=Kind.ROUND_CLOSED, params=ROUND, link="/measures/2564/"), "en"
    )
    assert message.detail == "มาตรการ 2564"
    assert (
        message.url == "https://ita.oie.example/measures/2564/"
        and message.link == "/measures/2564/"
    )
