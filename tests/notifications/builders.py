"""Notifications the tests make, with the params the measures workflow gives them."""

from notifications.models import Notification
from notifications.services import notify

RETURNED_PARAMS = {
    "actor": "Manager",
    "activity": "1.1",
    "title_th": "กิจกรรมบริหารบุคลากรอย่างโปร่งใส",
    "title_en": "Transparent personnel administration",
    "round_th": "รอบ 6 เดือน",
    "round_en": "6-month round",
    "comment": "โปรดแนบหลักฐาน",
}


def tell(recipients, kind=Notification.Kind.RETURNED, params=None, **fields):
    return notify(
        recipients=recipients,
        kind=kind,
        params=params or RETURNED_PARAMS,
        link="/measures/activity/1/round/1/",
        **fields,
    )
