"""Named owners: the people responsible, falling back to the units' members."""

import pytest

from measures.models import Activity
from notifications.owners import assigned_to, responsible_people
from tests.measures.builders import PlanWorld

pytestmark = pytest.mark.django_db


def people_of(activity):
    activity = Activity.objects.prefetch_related("owners", "units__members").get(pk=activity.pk)
    return [u.username for u in responsible_people(activity.owners.all(), activity.units.all())]


def test_the_units_members_answer_while_nobody_is_named(personas):
    world = PlanWorld(personas)
    assert people_of(world.activity) == ["staff", "admin"]


def test_the_named_owners_answer_instead_of_the_units(personas):
    world = PlanWorld(personas)
    world.activity.owners.set([personas.other_staff])
    assert people_of(world.activity) == ["staff2"]


def test_an_inactive_owner_gives_way_to_the_units(personas):
    world = PlanWorld(personas)
    world.activity.owners.set([personas.other_staff])
    personas.other_staff.is_active = False
    personas.other_staff.save()
    assert people_of(world.activity) == ["staff", "admin"]


def test_it_filters_the_work_a_person_answers_for(personas):
    world = PlanWorld(personas)
    world.other_activity.owners.set([personas.staff])
    mine = Activity.objects.filter(assigned_to(personas.staff)).distinct()
    assert sorted(a.number for a in mine) == ["1.1", "1.2"]
    assert not Activity.objects.filter(assigned_to(personas.other_staff)).exists()
