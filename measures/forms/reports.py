"""Forms of progress reports, their review and their evidence."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import BuddhistDateField
from ita_portal.thai import arabic_digits
from measures.models import Activity, ProgressReport, limits
from measures.uploads import check_evidence_file


class NamedLimitsMixin:
    """Say a too-long text's limit in the portal's words and name the field (Thai included).

    A model's text fields carry limits.TextLimit; a CharField's own max_length check would
    answer in Django's English words, so it is replaced by the same validator.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.validators = [
                    v for v in field.validators if type(v) is not MaxLengthValidator
                ] + [limits.TextLimit(field.max_length, field.label)]


class ReportForm(NamedLimitsMixin, forms.ModelForm):
    """The content of a progress report, with the version it was loaded at."""

    percent = forms.CharField(
        label=_("Percent complete"), max_length=5, widget=forms.TextInput({"inputmode": "numeric"})
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = ProgressReport
        fields = [*ProgressReport.CONTENT_FIELDS, "steps_done"]
        widgets = {
            "steps_done": forms.CheckboxSelectMultiple({"class": "form-check-input"}),
            "results": forms.Textarea({"rows": 4, "maxlength": limits.RESULTS}),
            "obstacles": forms.Textarea({"rows": 3, "maxlength": limits.OBSTACLES}),
            "next_steps": forms.Textarea({"rows": 3, "maxlength": limits.NEXT_STEPS}),
        }

    def __init__(self, *args, activity: Activity, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        steps = self.fields["steps_done"]
        steps.queryset = activity.steps.all()
        steps.label_from_instance = lambda step: f"{step.order}. {step.text_th}"
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    def clean_percent(self) -> int:
        raw = arabic_digits(self.cleaned_data["percent"]).strip().rstrip("%").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 100:
            raise ValidationError(_("Enter a whole number from 0 to 100."), code="percent_range")
        return int(raw)


class ReviewForm(NamedLimitsMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.REVIEW_COMMENT,
        widget=forms.Textarea({"rows": 3}),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class EvidenceForm(NamedLimitsMixin, forms.Form):
    file = forms.FileField(label=_("Evidence file"), required=False)
    url = forms.URLField(
        label=_("or a link"), required=False, assume_scheme="https", max_length=500
    )
    effective_on = BuddhistDateField(
        label=_("Date the evidence proves"),
        required=False,
        help_text=_("The day, or the end of the period, it proves, e.g. 31/03/2564."),
    )

    def clean_effective_on(self):
        day = self.cleaned_data.get("effective_on")
        if day is not None and day > timezone.localdate():
            raise ValidationError(
                _("%(field)s cannot be in the future."),
                code="effective_in_future",
                params={"field": _("Date the evidence proves")},
            )
        return day

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            check_evidence_file(file)
        return file

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise ValidationError(_("Give either a file or a link."), code="file_or_link")
        return cleaned
