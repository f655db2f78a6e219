import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas' passwords hash in microseconds here; the login tests use the real hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
