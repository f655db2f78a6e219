import pytest
from django.conf import settings

from tests.base import Personas

# Password hashing at production strength costs ~0.3 s per user; tests create many users.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db) -> Personas:
    """The standard cast: staff, other_staff, manager, admin, outsider, outsider_admin."""
    return Personas()
