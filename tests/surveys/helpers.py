"""Answering a survey through its pages, as a respondent's browser would (no JavaScript)."""

from __future__ import annotations

from django.core.cache import caches
from django.test import Client

from surveys.models import SurveyUnit
from surveys.selectors import questionnaire_for
from tests.base import BaseTestCase
from tests.surveys.builders import survey_version

COOKIE = "ita_survey"


def answer_through_pages(
    entry: SurveyUnit, answers: dict[str, str], *, code: str = "", client: Client | None = None
):
    """Start the form, post each screen's answers and submit; return the last response."""
    client = client or Client()
    path = f"/s/{entry.code}/"
    started = client.post(path, {"action": "start", "code": code})
    assert started.status_code == 302, started.content.decode()[:2000]
    client.survey_token = client.cookies[COOKIE].value  # the draft's key, for privacy checks
    groups = questionnaire_for(entry.round).groups
    response = None
    for number, group in enumerate(groups, start=1):
        data = {"step": number, "action": "submit" if number == len(groups) else "next"}
        data.update({item.key: answers[item.key] for item in group.items if item.key in answers})
        response = client.post(path, data)
        if response.status_code != 302:
            return response
    return response


class SurveyTestCase(BaseTestCase):
    """The personas, the test version with answer scales, and an empty rate-limit cache."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.version = survey_version()

    def setUp(self) -> None:
        caches["throttle"].clear()
