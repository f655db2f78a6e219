from decimal import Decimal

from django.test import override_settings
from django.urls import reverse

from accounts.roles import Role
from assessments.models import Assessment, GradeBand, Instrument, InstrumentVersion, Question
from tests.assessments.builders import make_oie_2563
from tests.base import BaseTestCase, make_user

D = Decimal


@override_settings(LANGUAGE_CODE="en")
class VersionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.oie = make_oie_2563(cls.agency)
        cls.steward = make_user("steward", Role.STEWARD, None)

    def url(self, name: str, *args) -> str:
        return reverse(f"assessments:{name}", args=args)


class VersionEditTests(VersionTestCase):
    def test_it_copies_a_version_then_edits_weights_bands_and_texts(self):
        self.client.force_login(self.steward)
        response = self.client.post(
            self.url("version_copy", 2563), {"fiscal_year": "๒๕๖๔", "name_th": "ITA 2564"}
        )
        self.assertRedirects(response, self.url("version_edit", 2564))
        version = InstrumentVersion.objects.get(fiscal_year=2564)
        self.assertEqual(version.questions.count(), 88)

        page = self.client.get(self.url("version_edit", 2564)).context
        data = {"version-name_th": "ITA 2564", "version-name_en": "", "version-pass_mark": "90"}
        for prefix, formset in (("instruments", page["instruments"]), ("bands", page["bands"])):
            data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
            data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
            for index, form in enumerate(formset.forms):
                for name in form.fields:
                    value = form[name].value()
                    data[f"{prefix}-{index}-{name}"] = "" if value is None else value
        weights = {"IIT": "0.25", "EIT": "0.25", "OIT": "0.50"}
        for index, form in enumerate(page["instruments"].forms):
            data[f"instruments-{index}-weight"] = weights[form.instance.code]
        # Drop grade E.
        e = next(i for i, f in enumerate(page["bands"].forms) if f.instance.grade == "E")
        data[f"bands-{e}-DELETE"] = "on"
        response = self.client.post(self.url("version_edit", 2564), data)
        self.assertRedirects(response, self.url("version_detail", 2564))
        version.refresh_from_db()
        self.assertEqual(version.pass_mark, D("90"))
        self.assertEqual(Instrument.objects.get(version=version, code="OIT").weight, D("0.50"))
        self.assertFalse(GradeBand.objects.filter(version=version, grade="E").exists())
        self.assertTrue(GradeBand.objects.filter(version__fiscal_year=2563, grade="E").exists())

        data["instruments-0-weight"] = "0.50"
        data.pop(f"bands-{e}-DELETE")
        data["bands-TOTAL_FORMS"] = data["bands-INITIAL_FORMS"] = 0
        response = self.client.post(self.url("version_edit", 2564), data)
        self.assertContains(response, 'data-testid="error-instruments"')
        self.assertContains(response, 'data-testid="error-bands"')

        texts = self.client.get(self.url("version_texts", 2564)).context
        data = {}
        for prefix in ("indicators", "subs", "questions"):
            formset = texts[prefix]
            data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count()
            data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
            for index, form in enumerate(formset.forms):
                data[f"{prefix}-{index}-id"] = form.instance.pk
                for name in form.fields:
                    if name != "id":
                        data[f"{prefix}-{index}-{name}"] = form[name].value() or ""
        index = next(i for i, f in enumerate(texts["questions"].forms) if f.instance.code == "I4")
        data[f"questions-{index}-text_th"] = "ข้อความใหม่"
        response = self.client.post(self.url("version_texts", 2564), data)
        self.assertRedirects(response, self.url("version_detail", 2564))
        self.assertEqual(Question.objects.get(version=version, code="I4").text_th, "ข้อความใหม่")
        self.assertEqual(Question.objects.get(version__fiscal_year=2563, code="I4").text_th, "")

    def test_it_refuses_copying_onto_an_existing_year(self):
        self.client.force_login(self.steward)
        response = self.client.post(
            self.url("version_copy", 2563), {"fiscal_year": "2563", "name_th": "x"}
        )
        self.assertContains(response, 'data-testid="error-fiscal_year"')


class StewardOnlyTests(VersionTestCase):
    """An instrument version is every agency's: an agency admin reads it and changes nothing."""

    def test_it_refuses_copying_and_editing_to_everyone_but_stewards(self):
        for user in (self.admin, self.manager, self.staff, self.outsider_admin):
            self.client.force_login(user)
            for name in ("version_copy", "version_edit", "version_texts"):
                url = self.url(name, 2563)
                self.assertEqual(self.client.get(url).status_code, 403, (user, name))
                self.assertEqual(self.client.post(url, {}).status_code, 403, (user, name))

    def test_an_agency_admin_cannot_change_the_pass_mark_of_every_agency(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            self.url("version_edit", 2563), {"version-name_th": "x", "version-pass_mark": "50"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(InstrumentVersion.objects.get(fiscal_year=2563).pass_mark, D("85.00"))

    def test_stewards_and_superusers_may_open_the_editors(self):
        root = make_user("root", None, None)
        root.is_superuser = True
        root.save()
        for user in (self.steward, root):
            self.client.force_login(user)
            for name in ("version_copy", "version_edit", "version_texts"):
                self.assertEqual(self.client.get(self.url(name, 2563)).status_code, 200)

    def test_it_offers_the_editing_buttons_to_stewards_only(self):
        self.client.force_login(self.admin)
        page = self.client.get(self.url("version_detail", 2563))
        self.assertNotContains(page, 'data-testid="version-edit"')
        self.assertNotContains(self.client.get(self.url("version_list")), 'data-testid="copy-2563"')
        self.assertContains(
            self.client.get(self.url("version_list")), 'data-testid="stewards-only"'
        )
        self.client.force_login(self.steward)
        self.assertContains(self.client.get(self.url("version_detail", 2563)), "version-edit")
        self.assertContains(self.client.get(self.url("version_list")), 'data-testid="copy-2563"')

    def test_the_django_admin_keeps_versions_to_stewards(self):
        version = InstrumentVersion.objects.get(fiscal_year=2563)
        change = f"/admin/assessments/instrumentversion/{version.pk}/change/"
        add = "/admin/assessments/question/add/"
        self.client.force_login(self.admin)  # an agency admin: the Django admin is not theirs
        for response in [
            self.client.get(change),
            self.client.post(change, {"pass_mark": "50"}),
            self.client.get(add),
        ]:
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/admin/login/"))
        self.steward.is_staff = True
        self.steward.save()
        self.client.force_login(self.steward)
        self.assertEqual(self.client.get(add).status_code, 200)
        version.refresh_from_db()
        self.assertEqual(version.pass_mark, D("85.00"))


class NewYearTests(VersionTestCase):
    """Starting a year with no instrument: the new-assessment page says how (issue 11)."""

    def test_it_offers_only_years_the_agency_has_not_assessed(self):
        self.client.force_login(self.admin)
        form = self.client.get(self.url("create")).context["form"]
        self.assertEqual(form.fields["fiscal_year"].choices, [])  # 2563 is assessed already
        self.assertContains(self.client.get(self.url("create")), 'data-testid="instrument-offer"')

    def test_it_tells_an_admin_whom_to_ask(self):
        self.steward.first_name, self.steward.email = "Somchai", "somchai@example.go.th"
        self.steward.save()
        self.client.force_login(self.admin)
        response = self.client.get(self.url("create"))
        self.assertContains(response, 'data-testid="ask-steward"')
        self.assertContains(response, "somchai@example.go.th")
        self.assertNotContains(response, 'data-testid="copy-instrument"')

    def test_a_steward_creates_the_years_instrument_from_the_page(self):
        self.steward.agency = self.agency
        self.steward.save()
        self.steward.groups.add(*self.admin.groups.all())  # also the agency's admin
        self.client.force_login(self.steward)
        response = self.client.get(self.url("create"))
        copy = response.context["copy_form"]
        self.assertEqual(copy["fiscal_year"].value(), 2564)
        self.assertContains(response, 'data-testid="copy-instrument"')
        response = self.client.post(
            self.url("version_copy", 2563),
            {"fiscal_year": "2564", "name_th": copy["name_th"].value(), "next": "create"},
        )
        self.assertRedirects(response, self.url("create") + "?year=2564")
        page = self.client.get(self.url("create") + "?year=2564")
        self.assertEqual(page.context["form"].fields["fiscal_year"].choices, [(2564, "2564")])
        self.assertEqual(page.context["form"]["fiscal_year"].value(), "2564")
        self.assertEqual(
            InstrumentVersion.objects.get(fiscal_year=2564).copied_from.fiscal_year, 2563
        )
        response = self.client.post(self.url("create"), {"fiscal_year": "2564"})
        self.assertRedirects(response, self.url("scores", "oie", 2564))
        self.assertTrue(Assessment.objects.filter(agency=self.agency, fiscal_year=2564).exists())
