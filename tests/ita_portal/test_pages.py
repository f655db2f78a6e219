"""Cached pages: the same bytes as a fresh render, and a change re-renders exactly what shows it."""

import re
from decimal import Decimal as D

from django.contrib.auth.models import Group
from django.test import Client, override_settings

from accounts.models import Agency
from accounts.roles import Role
from assessments.demo import PEERS
from assessments.services import assessment_scores_set, assessment_upsert
from measures.models import Activity
from tests.base import make_user
from tests.notifications.builders import tell
from tests.reports.builders import DemoTestCase

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
# A page read again: the session, the user, and one cache read of the page with the tokens of
# the data it shows (the ministry ranking's ministry comes from a memo).
HIT_QUERIES = 3


def without_tokens(html: bytes) -> str:
    """The page without its CSRF tokens (masked afresh for every render)."""
    return CSRF.sub("", html.decode())


class CachedPageTests(DemoTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.peer = Agency.objects.get(code=PEERS[0][0])
        cls.peer_manager = make_user("peer-manager", Role.MANAGER, cls.peer)
        cls.elsewhere = Agency.objects.create(
            code="moph-test", name_th="หน่วยงานกระทรวงอื่น", ministry="กระทรวงสาธารณสุข"
        )
        assessment_upsert(
            agency=cls.elsewhere,
            fiscal_year=2563,
            values={"reported_total": D("88.00"), "reported_grade": "A"},
        )
        cls.elsewhere_manager = make_user("moph-manager", Role.MANAGER, cls.elsewhere)

    def setUp(self) -> None:
        self.clients = {}
        for name, user in [
            ("oie", self.p.manager),
            ("peer", self.peer_manager),
            ("elsewhere", self.elsewhere_manager),
        ]:
            self.clients[name] = Client()
            self.clients[name].force_login(user)

    def pages(self) -> dict[str, tuple[str, str]]:
        peer, other = self.peer.code, self.elsewhere.code
        return {
            "oie detail": ("oie", "/assessments/oie/2563/"),
            "oie history": ("oie", "/assessments/oie/"),
            "oie peers": ("oie", "/assessments/oie/2563/peers/"),
            "oie summary": ("oie", "/reports/oie/2563/summary/"),
            "oie dashboard": ("oie", "/measures/2564/dashboard/"),
            "peer detail": ("peer", f"/assessments/{peer}/2563/"),
            "peer peers": ("peer", f"/assessments/{peer}/2563/peers/"),
            "elsewhere detail": ("elsewhere", f"/assessments/{other}/2563/"),
            "elsewhere peers": ("elsewhere", f"/assessments/{other}/2563/peers/"),
        }

    def read(self, name: str) -> tuple[bytes, int]:
        """Return a page's body and the number of queries it cost."""
        client, url = self.pages()[name]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.clients[client].get(url)
        self.assertEqual(response.status_code, 200, name)
        return response.content, len(queries)

    def fresh(self, name: str) -> bytes:
        client, url = self.pages()[name]
        with override_settings(PAGE_CACHE=False):
            response = self.clients[client].get(url)
        self.assertEqual(response.status_code, 200, name)
        return response.content

    def test_a_page_read_again_is_the_same_page_from_one_cache_read(self):
        for name in self.pages():
            first, _ = self.read(name)
            again, queries = self.read(name)
            self.assertEqual(queries, HIT_QUERIES, name)
            self.assertEqual(without_tokens(again), without_tokens(first), name)

    def test_a_cached_page_is_byte_for_byte_a_fresh_render(self):
        for name in self.pages():
            self.read(name)
            cached, _ = self.read(name)
            self.assertEqual(without_tokens(cached), without_tokens(self.fresh(name)), name)

    def test_a_changed_score_renders_again_every_page_that_shows_it_and_nothing_else(self):
        before = {name: self.read(name)[0] for name in self.pages()}
        assessment_scores_set(assessment=self.assessment, indicators={4: D("100.00")})
        shows_it = {"oie detail", "oie history", "oie peers", "oie summary", "peer peers"}
        for name in self.pages():
            body, queries = self.read(name)
            if name in shows_it:
                self.assertGreater(queries, HIT_QUERIES, f"{name} was not rendered")
                self.assertEqual(without_tokens(body), without_tokens(self.fresh(name)), name)
            else:
                self.assertEqual(queries, HIT_QUERIES, f"{name} was rendered")
                self.assertEqual(without_tokens(body), without_tokens(before[name]), name)
        self.assertNotEqual(before["oie detail"], self.read("oie detail")[0])

    def test_a_changed_plan_renders_again_the_pages_of_the_plan_and_nothing_else(self):
        for name in self.pages():
            self.read(name)
        activity = Activity.objects.filter(measure__plan=self.plan).first()
        activity.title_th = "กิจกรรมที่เปลี่ยนชื่อ"
        activity.save()
        # The navigation counts the user's work in the agency's plans: every OIE page.
        changed = {name for name in self.pages() if name.startswith("oie")}
        for name in self.pages():
            _, queries = self.read(name)
            if name in changed:
                self.assertGreater(queries, HIT_QUERIES, f"{name} was not rendered")
            else:
                self.assertEqual(queries, HIT_QUERIES, f"{name} was rendered")
        self.assertContains(self.clients["oie"].get("/measures/2564/dashboard/"), "กิจกรรมที่เปลี่ยนชื่อ")

    def test_a_notification_changes_the_recipients_pages_only(self):
        for name in self.pages():
            self.read(name)
        tell([self.peer_manager])
        for name in self.pages():
            _, queries = self.read(name)
            if name.startswith("peer"):
                self.assertGreater(queries, HIT_QUERIES, name)
            else:
                self.assertEqual(queries, HIT_QUERIES, name)

    def test_a_cached_page_gives_each_session_a_working_csrf_token(self):
        url = "/assessments/oie/2563/"
        self.clients["oie"].get(url)
        second = Client(enforce_csrf_checks=True)
        second.force_login(self.p.manager)
        second.get("/")  # its own CSRF cookie
        page = second.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        response = second.post(
            "/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": token[1]}
        )
        self.assertEqual(response.status_code, 302)

    def test_losing_the_role_stops_the_cached_page_at_once(self):
        url = "/assessments/oie/2563/"
        client = self.clients["oie"]
        self.assertEqual(client.get(url).status_code, 200)
        self.p.manager.groups.remove(Group.objects.get(name=Role.MANAGER.value))
        self.assertEqual(client.get(url).status_code, 403)

    def test_a_page_with_a_message_to_show_is_rendered(self):
        url = "/assessments/oie/2563/"
        client = Client()
        client.force_login(self.p.admin)
        client.get(url)
        response = client.post(
            "/assessments/oie/2563/edit/",
            {"reported_total": "91.50", "reported_grade": "A"},
            follow=True,
        )
        self.assertContains(response, 'class="alert')

    def test_an_unknown_agency_or_a_refused_filter_is_never_stored(self):
        client = self.clients["oie"]
        for _ in range(2):
            self.assertEqual(client.get("/assessments/nowhere/2563/").status_code, 404)
            self.assertEqual(client.get("/measures/2564/dashboard/?unit=999999").status_code, 400)

    def test_an_agency_moved_to_another_ministry_ranks_with_its_new_peers(self):
        self.read("elsewhere peers")
        self.elsewhere.ministry = self.peer.ministry
        self.elsewhere.save()
        body, queries = self.read("elsewhere peers")
        self.assertGreater(queries, HIT_QUERIES, "the move did not render the ranking again")
        self.assertIn(self.peer.name_th, body.decode())
        self.assertEqual(self.read("elsewhere peers")[1], HIT_QUERIES)
        # A change in the new ministry reaches the page, although the page was first read while
        # the agency was in the old one.
        assessment_scores_set(assessment=self.assessment, indicators={4: D("100.00")})
        body, queries = self.read("elsewhere peers")
        self.assertGreater(queries, HIT_QUERIES, "the new ministry's change was not shown")
        self.assertEqual(without_tokens(body), without_tokens(self.fresh("elsewhere peers")))
