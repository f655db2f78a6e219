"""Portal-wide accounts, beside the agency personas of tests/base.py."""

from accounts.models import Agency, User
from accounts.services import steward_set
from tests.base import PASSWORD


def make_superuser(username: str = "root") -> User:
    return User.objects.create_superuser(username=username, password=PASSWORD, email="")


def make_steward(username: str = "steward", agency: Agency | None = None) -> User:
    """A data steward as `manage.py steward` makes one: the group and the Django admin."""
    user = User.objects.create_user(username=username, password=PASSWORD, agency=agency)
    return steward_set(user=user, steward=True)
