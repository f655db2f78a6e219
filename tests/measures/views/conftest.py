"""Fixtures of the measures view tests: a plan world, and media files kept in a temporary folder."""

import pytest

from tests.measures.builders import PlanWorld


@pytest.fixture
def world(personas):
    return PlanWorld(personas)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
