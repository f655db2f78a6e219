"""An admin's upload waiting for its confirmation is listed as blocked work on the home page."""

from django.test import override_settings
from django.urls import reverse

from imports.models import PendingImport
from tests.assessments.builders import load_version_2563
from tests.base import BaseTestCase
from tests.imports.test_pending import ROWS, upload
from tests.media import PROCESS_MEDIA_ROOT


@override_settings(MEDIA_ROOT=PROCESS_MEDIA_ROOT)
class WaitingUploadTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_version_2563()

    def home(self, user):
        self.client.force_login(user)
        return self.client.get(reverse("home"))

    def test_it_lists_a_checked_upload_with_a_link_to_its_preview(self):
        pending = upload(self.admin)
        page = self.home(self.admin)
        self.assertContains(page, "scores.xlsx")
        self.assertContains(page, reverse("imports:preview", args=[pending.sha256]))

    def test_it_leaves_out_a_refused_upload_and_a_stored_one(self):
        refused = upload(self.admin, [[2563, "oie", 99, 90]], name="refused.xlsx")
        self.assertTrue(refused.refused)
        self.assertNotContains(self.home(self.admin), "refused.xlsx")
        upload(self.admin, ROWS, name="stored.xlsx")
        PendingImport.objects.update(status=PendingImport.Status.STORED)
        self.assertNotContains(self.home(self.admin), "stored.xlsx")

    def test_it_shows_an_upload_to_its_uploader_only(self):
        upload(self.admin)
        self.assertNotContains(self.home(self.manager), "scores.xlsx")
        self.assertNotContains(self.home(self.outsider_admin), "scores.xlsx")
