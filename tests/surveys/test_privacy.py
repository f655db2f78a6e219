"""Anonymity by design: a submission writes nothing that identifies its respondent, anywhere."""

from django.core.cache import caches
from django.db import connection
from django.test import Client

from surveys.models import AccessCode, Draft, Response, SurveyRound, SurveyUnit
from surveys.services import codes_issue
from tests.base import BaseTestCase
from tests.surveys.builders import open_round, survey_version
from tests.surveys.helpers import answer_through_pages
from tests.writes import recording_writes

IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Linux) ระบุตัวได้-UA-7f3a"
FULL = {"I1": "4", "I2": "1", "I3": "1", "I4.1": "3", "I4.2": "2"}
IDENTITY_COLUMNS = ("user", "ip", "agent", "address", "email", "name", "time", "created", "at")


def table_rows(table: str) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (a table name the ORM wrote)
        return [c[0] for c in cursor.description], cursor.fetchall()


class PrivacyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        survey_version()
        cls.survey = open_round(cls.agency, [(cls.unit, 20)], access=SurveyRound.Access.CODES)
        cls.entry = SurveyUnit.objects.get(round=cls.survey)

    def setUp(self) -> None:
        caches["throttle"].clear()

    def submit_as_identifiable_person(self) -> tuple[set[str], str, str]:
        """A signed-in staff member answers with a code from a known address and browser."""
        [code] = codes_issue(entry=self.entry, count=1)
        client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
        client.force_login(self.staff)
        with recording_writes() as writes:
            done = answer_through_pages(self.entry, FULL, code=code, client=client)
        self.assertEqual(done.status_code, 302)
        return writes.tables, code, client.survey_token

    def test_every_table_a_submission_writes_holds_no_identity(self):
        tables, code, token = self.submit_as_identifiable_person()
        self.assertEqual(
            tables,
            {
                "surveys_draft",
                "surveys_response",
                "surveys_surveyunit",
                "surveys_accesscode",
                "ita_throttle",
            },
        )
        for table in tables:
            columns, rows = table_rows(table)
            text = repr(rows)
            for secret in (IP, AGENT, "ระบุตัวได้", self.staff.username, token):
                self.assertNotIn(secret, text, f"{table} holds {secret!r}")
            if table.startswith("surveys_"):
                for column in columns:
                    parts = column.split("_")
                    self.assertFalse(
                        set(parts) & set(IDENTITY_COLUMNS), f"{table}.{column} could identify"
                    )

    def test_a_response_holds_only_its_unit_channel_and_answers(self):
        self.submit_as_identifiable_person()
        columns, rows = table_rows("surveys_response")
        self.assertEqual(sorted(columns), ["answers", "channel", "id", "survey_unit_id"])
        self.assertEqual(Response.objects.get().answers, FULL)
        self.assertFalse(Draft.objects.exists())

    def test_the_used_code_cannot_be_joined_to_the_answers(self):
        _tables, code, _token = self.submit_as_identifiable_person()
        columns, _rows = table_rows("surveys_accesscode")
        self.assertEqual(sorted(columns), ["code", "id", "survey_unit_id", "used"])
        self.assertTrue(AccessCode.objects.get(code=code).used)
        response = Response.objects.get()
        self.assertNotIn(code, repr(response.answers))
        # Nothing on either row orders them in time: the response's key is random.
        self.assertEqual(response.pk.version, 4)
