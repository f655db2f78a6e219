import pytest

from tests.base import Personas


@pytest.fixture
def personas(db) -> Personas:
    """The standard cast: staff, other_staff, manager, admin, outsider, outsider_admin."""
    return Personas()
