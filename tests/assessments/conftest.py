import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash the personas' passwords cheaply: these tests are about scores, not logins."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
