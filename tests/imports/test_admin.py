"""The Django admin's import batches: only an agency's own, never typed in."""

from django.contrib import admin
from django.test import RequestFactory

from imports.models import ImportBatch
from tests.base import BaseTestCase
from tests.imports.builders import make_steward


class ImportBatchAdminTests(BaseTestCase):
    def setUp(self) -> None:
        self.model_admin = admin.site._registry[ImportBatch]
        self.own = ImportBatch.objects.create(
            file_name="a.xlsx", sha256="a" * 64, agency=self.agency
        )
        self.other = ImportBatch.objects.create(
            file_name="b.xlsx", sha256="b" * 64, agency=self.other_agency
        )

    def request_by(self, user):
        request = RequestFactory().get("/admin/imports/importbatch/")
        request.user = user
        return request

    def test_it_lists_an_agency_admin_their_own_agencys_batches(self):
        queryset = self.model_admin.get_queryset(self.request_by(self.admin))
        self.assertEqual(list(queryset), [self.own])

    def test_it_lists_every_batch_for_a_data_steward(self):
        queryset = self.model_admin.get_queryset(self.request_by(make_steward()))
        self.assertEqual(set(queryset), {self.own, self.other})

    def test_it_never_adds_a_batch_by_hand(self):
        self.assertFalse(self.model_admin.has_add_permission(self.request_by(self.admin)))
