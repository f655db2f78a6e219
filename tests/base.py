"""Personas and builders shared by the test suite.

Every view test uses the same cast: staff of กพบ., a manager and an admin of OIE, and an
outsider who belongs to another agency.
"""

from django.contrib.auth.models import Group
from django.test import TestCase

from accounts.models import Agency, Unit, User
from accounts.roles import Role

PASSWORD = "correct horse battery staple"


def make_agency(code: str = "oie", **fields) -> Agency:
    defaults = {
        "name_th": "สำนักงานเศรษฐกิจอุตสาหกรรม",
        "name_en": "Office of Industrial Economics",
        "abbreviation": "สศอ.",
        "ministry": "กระทรวงอุตสาหกรรม",
    }
    defaults.update(fields)
    agency, _ = Agency.objects.get_or_create(code=code, defaults=defaults)
    return agency


def make_unit(agency: Agency, code: str, name_th: str = "", parent: Unit | None = None) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        agency=agency, code=code, defaults={"name_th": name_th or code, "parent": parent}
    )
    return unit


def make_user(username: str, role: Role | None, agency: Agency | None, units=()) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, agency=agency, is_staff=role == Role.ADMIN
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    if units:
        user.units.set(units)
    return user


class Personas:
    """Build the standard cast in the current database and keep references to it."""

    def __init__(self) -> None:
        self.agency = make_agency()
        self.unit = make_unit(self.agency, "กพบ.", "กลุ่มพัฒนาระบบบริหาร")
        self.other_unit = make_unit(self.agency, "ตสน.", "กลุ่มตรวจสอบภายใน")
        self.other_agency = make_agency(
            "diw", name_th="กรมโรงงานอุตสาหกรรม", abbreviation="กรอ.", name_en="DIW"
        )
        self.foreign_unit = make_unit(self.other_agency, "กพร.", "กลุ่มพัฒนาระบบบริหาร")
        self.staff = make_user("staff", Role.STAFF, self.agency, [self.unit])
        self.other_staff = make_user("staff2", Role.STAFF, self.agency, [self.other_unit])
        self.manager = make_user("manager", Role.MANAGER, self.agency)
        self.admin = make_user("admin", Role.ADMIN, self.agency, [self.unit])
        self.outsider = make_user("outsider", Role.MANAGER, self.other_agency, [self.foreign_unit])
        self.outsider_admin = make_user("outsider_admin", Role.ADMIN, self.other_agency)

    @classmethod
    def existing(cls) -> "Personas":
        """Return the cast already in the database (built earlier, e.g. copied by a snapshot)."""
        personas = cls.__new__(cls)
        personas.agency = Agency.objects.get(code="oie")
        personas.other_agency = Agency.objects.get(code="diw")
        personas.unit = Unit.objects.get(agency=personas.agency, code="กพบ.")
        personas.other_unit = Unit.objects.get(agency=personas.agency, code="ตสน.")
        personas.foreign_unit = Unit.objects.get(agency=personas.other_agency, code="กพร.")
        for name, username in [
            ("staff", "staff"),
            ("other_staff", "staff2"),
            ("manager", "manager"),
            ("admin", "admin"),
            ("outsider", "outsider"),
            ("outsider_admin", "outsider_admin"),
        ]:
            setattr(personas, name, User.objects.get(username=username))
        return personas


class BaseTestCase(TestCase):
    """A TestCase with the personas as attributes (self.staff, self.manager, ...)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = Personas()
        for name in [
            "agency",
            "unit",
            "other_unit",
            "other_agency",
            "foreign_unit",
            "staff",
            "other_staff",
            "manager",
            "admin",
            "outsider",
            "outsider_admin",
        ]:
            setattr(cls, name, getattr(cls.p, name))
