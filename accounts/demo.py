"""Demo data for the foundation: the seed's agency (OIE), its units, a user per role, a steward."""

import json
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Agency, Unit, User
from accounts.roles import Role

DATA = Path(__file__).resolve().parent / "data" / "oie.json"
DEMO_PASSWORD = "ita-demo-2564"
DEMO_USERS = (
    # username, role, first name, last name, unit codes
    ("admin", Role.ADMIN, "ผู้ดูแล", "ระบบ", ("กพบ.",)),
    ("manager", Role.MANAGER, "ผู้บริหาร", "สศอ.", ()),
    ("staff", Role.STAFF, "เจ้าหน้าที่", "กพบ.", ("กพบ.",)),
    # Portal-wide, of no agency: keeps instrument versions and published results.
    ("steward", Role.STEWARD, "ผู้ดูแล", "ข้อมูลอ้างอิง", ()),
)


@transaction.atomic
def load(stdout) -> None:
    """Create or update OIE, its units and the demo users; print the shared password."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    fields = data["agency"]
    agency, _ = Agency.objects.update_or_create(code=fields["code"], defaults=fields)
    units = {}
    for row in data["units"]:
        parent = units.get(row["parent"]) if row["parent"] else None
        units[row["code"]], _ = Unit.objects.update_or_create(
            agency=agency,
            code=row["code"],
            defaults={"name_th": row["name_th"], "name_en": row["name_en"], "parent": parent},
        )
    for username, role, first, last, unit_codes in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@oie.example",
                "agency": None if role == Role.STEWARD else agency,
                # The Django admin is for data stewards (and superusers) only.
                "is_staff": role == Role.STEWARD,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role.value)])
        user.units.set([units[code] for code in unit_codes])
    stdout.write(
        f"Agency {agency.code}: {len(units)} units; demo users: admin, manager, staff, steward"
    )
    stdout.write(f"password: {DEMO_PASSWORD}")
