"""Fixtures of the measures service tests."""

import pytest

from tests.measures.builders import PlanWorld


@pytest.fixture
def world(personas):
    return PlanWorld(personas)
