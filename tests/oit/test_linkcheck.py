"""The link checker against a local server only: verdicts, redirects, timing and the SSRF guard."""

from unittest import mock

from django.test import SimpleTestCase, override_settings

from oit import linkcheck
from tests.oit.builders import REQUEST_LINES, local_site


@override_settings(OIT_LINKCHECK_ALLOW_PRIVATE=True, OIT_LINKCHECK_TIMEOUT=5)
class CheckTests(SimpleTestCase):
    def test_it_says_a_page_works(self):
        with local_site() as base:
            outcome = linkcheck.check(f"{base}/ok")
        assert outcome.verdict == "ok" and outcome.status_code == 200
        assert outcome.final_url == f"{base}/ok" and outcome.elapsed_ms >= 0

    def test_it_follows_a_redirect_and_says_the_page_moved(self):
        with local_site() as base:
            outcome = linkcheck.check(f"{base}/old")
        assert outcome.verdict == "moved" and outcome.status_code == 200
        assert outcome.final_url == f"{base}/new"

    def test_it_says_a_missing_page_is_broken(self):
        with local_site() as base:
            outcome = linkcheck.check(f"{base}/gone")
        assert outcome.verdict == "broken" and outcome.status_code == 404

    def test_it_flags_a_login_wall(self):
        with local_site() as base:
            walled = linkcheck.check(f"{base}/private")
            forbidden = linkcheck.check(f"{base}/forbidden")
        assert walled.verdict == "login" and walled.final_url.startswith(f"{base}/login")
        assert forbidden.verdict == "login" and forbidden.status_code == 403

    def test_it_stops_after_too_many_redirects(self):
        with local_site() as base, self.settings(OIT_LINKCHECK_MAX_REDIRECTS=3):
            outcome = linkcheck.check(f"{base}/loop")
        assert outcome.verdict == "broken" and outcome.detail == "too many redirects"

    def test_it_says_a_closed_port_is_broken(self):
        with local_site() as base:
            pass  # the server is gone: its port is closed now
        outcome = linkcheck.check(f"{base}/ok")
        assert outcome.verdict == "broken" and outcome.status_code is None

    def test_it_times_out(self):
        with (
            self.settings(OIT_LINKCHECK_TIMEOUT=1),
            mock.patch.object(
                linkcheck.socket, "create_connection", side_effect=TimeoutError("timed out")
            ),
        ):
            outcome = linkcheck.check("http://127.0.0.1:9/")
        assert outcome.verdict == "broken" and "timed out" in outcome.detail


class GuardTests(SimpleTestCase):
    """With the default settings, user-typed URLs never reach private or odd addresses."""

    def test_it_refuses_loopback_private_and_link_local_addresses(self):
        for url in [
            "http://127.0.0.1/",
            "http://localhost:8000/admin/",
            "http://10.0.0.5/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://2130706433/",  # 127.0.0.1 written as one number
            "http://0x7f.1/",
        ]:
            with self.subTest(url=url):
                assert linkcheck.check(url).verdict == "refused"

    def test_it_refuses_other_schemes_and_credentials(self):
        for url in [
            "file:///etc/passwd",
            "ftp://example.org/",
            "gopher://x/",
            "http://u:p@example.org/",
        ]:
            with self.subTest(url=url):
                outcome = linkcheck.check(url)
                assert outcome.verdict == "refused" and outcome.status_code is None

    def test_it_checks_every_redirect_hop(self):
        # The local site itself may be fetched, but its redirect to the metadata address not.
        with (
            local_site() as base,
            mock.patch.object(linkcheck, "_public", side_effect=lambda a: a != "169.254.169.254"),
        ):
            outcome = linkcheck.check(f"{base}/to-metadata")
        assert outcome.verdict == "refused" and "169.254.169.254" in outcome.detail

    def test_it_refuses_a_name_with_any_private_address(self):
        infos = [
            (2, 1, 6, "", ("93.184.216.34", 80)),
            (2, 1, 6, "", ("10.1.2.3", 80)),
        ]
        with mock.patch.object(linkcheck.socket, "getaddrinfo", return_value=infos):
            outcome = linkcheck.check("http://mixed.example/")
        assert outcome.verdict == "refused" and "10.1.2.3" in outcome.detail

    def test_it_connects_to_the_address_it_checked(self):
        infos = [(2, 1, 6, "", ("93.184.216.34", 80))]
        with (
            mock.patch.object(linkcheck.socket, "getaddrinfo", return_value=infos),
            mock.patch.object(
                linkcheck.socket, "create_connection", side_effect=OSError("no network")
            ) as connect,
        ):
            linkcheck.check("http://public.example/page")
        connect.assert_called_once_with(("93.184.216.34", 80), 10)

    @override_settings(OIT_LINKCHECK_ALLOW_PRIVATE=True)
    def test_it_goes_through_the_proxy_when_set(self):
        # The local site plays the proxy: it is asked for the target's full URL.
        with local_site() as proxy, self.settings(OIT_LINKCHECK_PROXY=proxy):
            REQUEST_LINES.clear()
            outcome = linkcheck.check("http://127.0.0.1:1/ok")
        assert outcome.verdict == "ok" and REQUEST_LINES == ["http://127.0.0.1:1/ok"]

    @override_settings(OIT_LINKCHECK_PROXY="http://127.0.0.1:1", OIT_LINKCHECK_ALLOW_PRIVATE=False)
    def test_the_proxy_does_not_open_private_targets(self):
        assert linkcheck.check("http://10.0.0.1/").verdict == "refused"
