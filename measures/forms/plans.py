"""Forms of plans, measures, activities, rounds, review settings and the dashboard's filters."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit, User
from assessments.models import Assessment, Question
from ita_portal.forms import BuddhistDateField
from ita_portal.thai import MONTHS_EN_SHORT, MONTHS_TH_SHORT, arabic_digits
from measures.forms.reports import NamedLimitsMixin
from measures.models import Activity, Measure, Plan, ProgressReport, Round, limits
from measures.models.plans import FISCAL_MONTHS
from measures.selectors.dashboard import NO_REPORT, Filters
from measures.templatetags.measures import local


def _plan_questions(plan: Plan):
    """Questions of the instrument the plan answers: its assessment's, else last year's."""
    if plan.based_on_id:
        versions = {"version__assessments": plan.based_on_id}
    else:
        versions = {"version__fiscal_year": plan.fiscal_year - 1}
    return Question.objects.filter(kind=Question.Kind.QUESTION, **versions)


class AssessmentChoiceField(forms.ModelChoiceField):
    """An assessment named as a reader says it: the agency and the Buddhist-Era year."""

    def label_from_instance(self, assessment: Assessment) -> str:
        return _("ITA assessment %(year)s of %(agency)s") % {
            "year": assessment.fiscal_year,
            "agency": assessment.agency.name_th,
        }


class PlanForm(NamedLimitsMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["fiscal_year", "title_th", "title_en", "based_on"]
        field_classes = {"based_on": AssessmentChoiceField}

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["based_on"].queryset = (
            Assessment.objects.official()
            .filter(agency=agency)
            .select_related("agency")
            .order_by("-fiscal_year")
        )


class MeasureForm(NamedLimitsMixin, forms.ModelForm):
    indicators_text = forms.CharField(
        label=_("Indicators"),
        required=False,
        max_length=100,
        help_text=_("Indicator numbers separated by commas, e.g. 3, 4"),
    )

    class Meta:
        model = Measure
        fields = ["number", "title_th", "title_en", "rationale_th", "rationale_en", "questions"]
        widgets = {
            "questions": forms.SelectMultiple({"size": 8}),
            "rationale_th": forms.Textarea({"rows": 4, "maxlength": limits.RATIONALE}),
            "rationale_en": forms.Textarea({"rows": 4, "maxlength": limits.RATIONALE}),
        }

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


class BahtField(forms.DecimalField):
    """An amount of baht as people type it: 1,250,000 or ๑๒๕,๐๐๐.๕๐ or 150000 บาท."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.TextInput({"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        raw = re.sub(r"[,\s]|บาท|฿", "", arabic_digits(str(value)))
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            raise ValidationError(
                _("%(field)s: enter an amount of baht, e.g. 150,000 or 150000.50."),
                code="baht",
                params={"field": self.label},
            )
        if amount < 0:
            raise ValidationError(
                _("%(field)s cannot be negative."),
                code="baht_negative",
                params={"field": self.label},
            )
        if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e12"):
            raise ValidationError(
                _("%(field)s: give at most 2 decimals and less than a million million baht."),
                code="baht_digits",
                params={"field": self.label},
            )
        return amount

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        return value


def fiscal_month_choices(year: int) -> list[tuple[int, str]]:
    """Return the months of a fiscal year (B.E.) as choices, October first: ต.ค. 63 … ก.ย. 64."""
    short = MONTHS_TH_SHORT if (get_language() or "th").startswith("th") else MONTHS_EN_SHORT
    return [
        (month, f"{short[month - 1]} {str(year - 1 if month >= 10 else year)[-2:]}")
        for month in FISCAL_MONTHS
    ]


class ActivityForm(NamedLimitsMixin, forms.ModelForm):
    """An activity as Thai plans write it: steps, units and people, budget, months, indicators.

    Success indicators are rows of fields (indicator_<n>_name, _target, _result): as many as
    the activity has plus two blank ones, up to the limit; a row left empty is dropped.
    """

    steps_text = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea({"rows": 6}),
        help_text=_("One step per line, in order."),
    )
    budget_planned = BahtField(label=_("Planned budget (baht)"), required=False)
    budget_spent = BahtField(label=_("Budget spent (baht)"), required=False)
    months = forms.TypedMultipleChoiceField(
        label=_("Months the activity runs (timeline)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}),
    )

    class Meta:
        model = Activity
        fields = [
            "number",
            "title_th",
            "title_en",
            "lead_unit",
            "units",
            "owners",
            "deadline",
            "cadence",
            "questions",
            "budget_planned",
            "budget_spent",
            "months",
        ]
        field_classes = {"deadline": BuddhistDateField}
        widgets = {
            "units": forms.SelectMultiple({"size": 8}),
            "owners": forms.SelectMultiple({"size": 6}),
            "questions": forms.SelectMultiple({"size": 8}),
        }

    def __init__(self, *args, measure: Measure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.measure = measure
        agency_id = measure.plan.agency_id
        units = Unit.objects.filter(agency_id=agency_id)
        self.fields["lead_unit"].queryset = units
        self.fields["units"].queryset = units
        self.fields["units"].required = False
        self.fields["owners"].queryset = User.objects.filter(agency_id=agency_id, is_active=True)
        self.fields["owners"].required = False
        self.fields["questions"].queryset = _plan_questions(measure.plan)
        self.fields["questions"].required = False
        self.fields["months"].choices = fiscal_month_choices(measure.plan.fiscal_year)
        existing = list(self.instance.indicators.all()) if self.instance.pk else []
        if self.instance.pk:
            self.fields["steps_text"].initial = "\n".join(
                s.text_th for s in self.instance.steps.all()
            )
        self._add_indicator_rows(existing)

    def _add_indicator_rows(self, existing) -> None:
        posted = [
            int(match.group(1))
            for key in (self.data or {})
            if (match := re.fullmatch(r"indicator_(\d+)_name", key))
        ]
        count = min(limits.INDICATORS_PER_ACTIVITY, max(len(existing) + 2, 3, *posted, 0))
        self.indicator_count = count
        for number in range(1, count + 1):
            row = existing[number - 1] if number <= len(existing) else None
            for part, label, length in (
                ("name", _("Success indicator"), 500),
                ("target", _("Target"), 200),
                ("result", _("Result achieved"), 500),
            ):
                field = forms.CharField(
                    label=f"{label} {number}", required=False, max_length=length
                )
                field.validators = [limits.TextLimit(length, field.label)]
                field.initial = getattr(row, "name_th" if part == "name" else part, "")
                self.fields[f"indicator_{number}_{part}"] = field

    @property
    def indicator_rows(self) -> list[tuple]:
        """Return each indicator row's bound fields: name, target, result."""
        return [
            tuple(self[f"indicator_{n}_{part}"] for part in ("name", "target", "result"))
            for n in range(1, self.indicator_count + 1)
        ]

    def clean_steps_text(self) -> list[str]:
        steps = [line.strip() for line in self.cleaned_data["steps_text"].splitlines()]
        steps = [line for line in steps if line]
        if not steps:
            raise ValidationError(_("Give at least one step."), code="steps_required")
        if len(steps) > limits.STEPS_PER_ACTIVITY:
            raise ValidationError(
                _("An activity can have at most %(limit)s steps; this one has %(count)s."),
                code="too_many_steps",
                params={"limit": limits.STEPS_PER_ACTIVITY, "count": len(steps)},
            )
        step_limit = limits.TextLimit(limits.STEP_TEXT, _("step"))
        errors = []
        for number, text in enumerate(steps, start=1):
            try:
                step_limit(text)
            except ValidationError as error:
                errors.append(
                    ValidationError(
                        _("Step %(number)s: %(error)s"),
                        code=error.code,
                        params={"number": number, "error": error.messages[0]},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return steps

    def clean(self):
        cleaned = super().clean()
        self.cleaned_indicators = []
        for number in range(1, self.indicator_count + 1):
            name, target, result = (
                (cleaned.get(f"indicator_{number}_{part}") or "").strip()
                for part in ("name", "target", "result")
            )
            if not (name or target or result):
                continue
            for part, value in (("name", name), ("target", target)):
                if not value:
                    self.add_error(
                        f"indicator_{number}_{part}",
                        ValidationError(
                            _("Success indicator %(number)s: give its name and its target."),
                            code="indicator_incomplete",
                            params={"number": number},
                        ),
                    )
            self.cleaned_indicators.append({"name_th": name, "target": target, "result": result})
        return cleaned


class RoundForm(NamedLimitsMixin, forms.ModelForm):
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
        field_classes = {
            "period_start": BuddhistDateField,
            "period_end": BuddhistDateField,
            "opens_on": BuddhistDateField,
            "due_on": BuddhistDateField,
        }

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan


class ReviewSettingsForm(forms.ModelForm):
    """The agency's rule for who may approve a progress report."""

    class Meta:
        model = Agency
        fields = ["allow_self_approval"]


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, round_: Round) -> str:
        return local(round_, "name")


class DashboardFilterForm(forms.Form):
    """The dashboard's filters: a unit, a responsible person, a round, a report's state."""

    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Any")
    )
    owner = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    round = RoundChoiceField(
        label=_("Round"), queryset=Round.objects.none(), required=False, empty_label=_("Any")
    )
    status = forms.ChoiceField(label=_("Report"), required=False)

    def __init__(self, *args, plan: Plan, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency_id=plan.agency_id)
        self.fields["owner"].queryset = User.objects.filter(
            agency_id=plan.agency_id, is_active=True
        )
        self.fields["round"].queryset = plan.rounds.all()
        self.fields["status"].choices = [
            ("", _("Any")),
            (NO_REPORT, _("Not written yet")),
            *ProgressReport.State.choices,
        ]

    def filters(self) -> Filters:
        """Return the filters that were given and are valid (an invalid one is left out)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        return Filters(
            unit=values["unit"],
            owner=values["owner"],
            round=values["round"],
            status=values["status"] or "",
        )
