"""Forms of the score-import pages: upload, template and export choices."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User
from assessments.models import InstrumentVersion


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Score workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class VersionChoiceField(forms.ModelChoiceField):
    """A year's instrument version, named in the page's language (Thai first)."""

    def label_from_instance(self, obj: InstrumentVersion) -> str:
        english = (get_language() or "th").startswith("en")
        name = (obj.name_en or obj.name_th) if english else (obj.name_th or obj.name_en)
        return f"{obj.fiscal_year} {name}"


class TemplateForm(forms.Form):
    version = VersionChoiceField(
        label=_("Fiscal year"),
        queryset=InstrumentVersion.objects.all(),
        to_field_name="fiscal_year",
        empty_label=None,
    )


class ExportForm(forms.Form):
    """A year's scores or an agency's history: an agency admin's own agency only."""

    year = forms.IntegerField(
        label=_("Fiscal year"), required=False, min_value=2500, max_value=2700
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All agencies"),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.is_steward:
            field = self.fields["agency"]
            field.queryset = Agency.objects.filter(pk=user.agency_id)
            field.empty_label = None
            field.error_messages["invalid_choice"] = _(
                "You may export only your own agency's scores; “%(value)s” is not your agency."
            )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("year") and not data.get("agency"):
            raise forms.ValidationError(
                _("Choose a fiscal year, an agency, or both."), code="nothing_chosen"
            )
        if not self.user.is_steward and "agency" not in self.errors:
            # A year's export of an agency admin holds their own agency's rows only.
            data["agency"] = self.user.agency
        return data
