"""Fixtures of the notifications tests: personas with e-mail addresses."""

import pytest


@pytest.fixture
def people(personas):
    for user in (personas.staff, personas.other_staff, personas.manager, personas.admin):
        user.email = f"{user.username}@oie.example"
        user.first_name = user.username.capitalize()
        user.save()
    return personas
