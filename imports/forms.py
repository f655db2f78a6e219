"""Forms of the score-import pages: upload, template and export choices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from assessments.models import InstrumentVersion


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Score workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class TemplateForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Fiscal year"),
        queryset=InstrumentVersion.objects.all(),
        to_field_name="fiscal_year",
        empty_label=None,
    )


class ExportForm(forms.Form):
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

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("year") and not data.get("agency"):
            raise forms.ValidationError(
                _("Choose a fiscal year, an agency, or both."), code="nothing_chosen"
            )
        return data
