"""Forms of the measures app: they validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from assessments.models import Question
from ita_portal.thai import arabic_digits
from measures.models import Activity, Measure, Plan, ProgressReport, Round, Step
from measures.uploads import check_evidence_file

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _plan_questions(plan: Plan):
    """Questions of the instrument the plan answers: its assessment's, else last year's."""
    if plan.based_on_id:
        versions = {"version__assessments": plan.based_on_id}
    else:
        versions = {"version__fiscal_year": plan.fiscal_year - 1}
    return Question.objects.filter(kind=Question.Kind.QUESTION, **versions)


class ReportForm(forms.Form):
    """The content of a progress report, with the version it was loaded at."""

    status = forms.ChoiceField(label=_("Status"), choices=ProgressReport.Status.choices)
    percent = forms.CharField(
        label=_("Percent complete"), max_length=5, widget=forms.TextInput({"inputmode": "numeric"})
    )
    steps_done = forms.ModelMultipleChoiceField(
        label=_("Steps done"),
        queryset=Step.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}),
    )
    results = forms.CharField(
        label=_("Results"), required=False, widget=forms.Textarea({"rows": 4})
    )
    obstacles = forms.CharField(
        label=_("Obstacles"), required=False, widget=forms.Textarea({"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea({"rows": 3})
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, activity: Activity, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steps_done"].queryset = activity.steps.all()
        self.fields["steps_done"].label_from_instance = lambda step: f"{step.order}. {step.text_th}"

    def clean_percent(self) -> int:
        raw = arabic_digits(self.cleaned_data["percent"]).strip().rstrip("%").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 100:
            raise ValidationError(_("Enter a whole number from 0 to 100."), code="percent_range")
        return int(raw)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ProgressReport.Status.DONE and cleaned.get("percent") not in (
            None,
            100,
        ):
            self.add_error(
                "percent",
                ValidationError(
                    _("A done activity must be 100 percent complete."), code="done_100"
                ),
            )
        return cleaned


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea({"rows": 3})
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"), required=False)
    url = forms.URLField(
        label=_("or a link"), required=False, assume_scheme="https", max_length=500
    )

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


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["fiscal_year", "title_th", "title_en", "based_on"]

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["based_on"].queryset = self.fields["based_on"].queryset.filter(agency=agency)


class MeasureForm(forms.ModelForm):
    indicators_text = forms.CharField(
        label=_("Indicators"),
        required=False,
        help_text=_("Indicator numbers separated by commas, e.g. 3, 4"),
    )

    class Meta:
        model = Measure
        fields = ["number", "title_th", "title_en", "rationale_th", "rationale_en", "questions"]
        widgets = {"questions": forms.SelectMultiple({"size": 8})}

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["questions"].queryset = _plan_questions(plan)
        self.fields["questions"].required = False
        if self.instance.pk:
            self.fields["indicators_text"].initial = ", ".join(
                str(n) for n in self.instance.indicators
            )

    def clean_indicators_text(self) -> list[int]:
        raw = arabic_digits(self.cleaned_data["indicators_text"])
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if not all(p.isdigit() and 1 <= int(p) <= 99 for p in parts):
            raise ValidationError(_("Give indicator numbers such as 3, 4."), code="indicators")
        return [int(p) for p in parts]

    def clean(self):
        cleaned = super().clean()
        self.instance.indicators = cleaned.get("indicators_text", [])
        return cleaned


class ActivityForm(forms.ModelForm):
    steps_text = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea({"rows": 6}),
        help_text=_("One step per line, in order."),
    )

    class Meta:
        model = Activity
        fields = [
            "number",
            "title_th",
            "title_en",
            "lead_unit",
            "units",
            "deadline",
            "cadence",
            "questions",
        ]
        widgets = {
            "deadline": DATE,
            "units": forms.SelectMultiple({"size": 8}),
            "questions": forms.SelectMultiple({"size": 8}),
        }

    def __init__(self, *args, measure: Measure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.measure = measure
        units = Unit.objects.filter(agency_id=measure.plan.agency_id)
        self.fields["lead_unit"].queryset = units
        self.fields["units"].queryset = units
        self.fields["units"].required = False
        self.fields["questions"].queryset = _plan_questions(measure.plan)
        self.fields["questions"].required = False
        if self.instance.pk:
            self.fields["steps_text"].initial = "\n".join(
                s.text_th for s in self.instance.steps.all()
            )

    def clean_steps_text(self) -> list[str]:
        steps = [line.strip() for line in self.cleaned_data["steps_text"].splitlines()]
        steps = [line for line in steps if line]
        if not steps:
            raise ValidationError(_("Give at least one step."), code="steps_required")
        return steps


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "number",
            "name_th",
            "name_en",
            "period_start",
            "period_end",
            "opens_on",
            "due_on",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "opens_on": DATE,
            "due_on": DATE,
        }

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
