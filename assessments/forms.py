"""Forms for entering assessments, scores, OIT item answers and instrument versions.

Numbers may be typed in Thai digits (๙๑.๕๐); scores must lie in 0–100 (the database agrees).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    InstrumentVersion,
    Question,
)
from assessments.versions import VersionData
from ita_portal.thai import arabic_digits


def _arabic(value):
    return arabic_digits(value.strip()) if isinstance(value, str) else value


class ScoreField(forms.DecimalField):
    """A score 0–100 with two decimals; Thai digits accepted; empty means unknown."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
        super().__init__(
            max_digits=5,
            decimal_places=2,
            min_value=Decimal("0"),
            max_value=Decimal("100"),
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(_arabic(value))


class CountField(forms.IntegerField):
    """A whole number of people (or a rank); Thai digits accepted."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(_arabic(value))


class YearField(forms.IntegerField):
    """A Buddhist-Era fiscal year; Thai digits accepted."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 6}))
        super().__init__(min_value=2500, max_value=2700, **kwargs)

    def to_python(self, value):
        return super().to_python(_arabic(value))


class WeightField(forms.DecimalField):
    """An instrument's share of the total (0–1); Thai digits accepted."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_digits=4, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("1"), **kwargs
        )

    def to_python(self, value):
        return super().to_python(_arabic(value))


class AssessmentForm(forms.ModelForm):
    """The officially reported figures of an assessment and its sample sizes."""

    reported_total = ScoreField(label=_("Reported total"))
    rank = CountField(label=_("Rank"), min_value=1)
    rank_of = CountField(label=_("Agencies ranked"), min_value=1)
    ministry_rank = CountField(label=_("Rank in the ministry"), min_value=1)
    ministry_rank_of = CountField(label=_("Agencies in the ministry"), min_value=1)
    iit_respondents = CountField(label=_("IIT respondents"))
    iit_population = CountField(label=_("IIT population (staff)"))
    eit_respondents = CountField(label=_("EIT respondents"))
    eit_population = CountField(label=_("EIT population (service users)"))

    class Meta:
        model = Assessment
        fields = [
            "reported_total",
            "reported_grade",
            "rank",
            "rank_of",
            "ministry_rank",
            "ministry_rank_of",
            "iit_respondents",
            "iit_population",
            "eit_respondents",
            "eit_population",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict:
        data = super().clean()
        for rank, count in (("rank", "rank_of"), ("ministry_rank", "ministry_rank_of")):
            if data.get(rank) and data.get(count) and data[rank] > data[count]:
                self.add_error(
                    rank,
                    ValidationError(
                        _("The rank cannot exceed the number of agencies ranked."),
                        code="rank_above_count",
                    ),
                )
        for who in ("iit", "eit"):
            respondents, population = data.get(f"{who}_respondents"), data.get(f"{who}_population")
            if respondents is not None and population is not None and respondents > population:
                self.add_error(
                    f"{who}_respondents",
                    ValidationError(
                        _("There cannot be more respondents than people."),
                        code="respondents_above_population",
                    ),
                )
        return data


class AssessmentCreateForm(AssessmentForm):
    """A new assessment: the fiscal year (which has an instrument version) and its figures."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)

    class Meta(AssessmentForm.Meta):
        fields = ["fiscal_year", *AssessmentForm.Meta.fields]

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        taken = Assessment.objects.official().filter(agency=agency).values("fiscal_year")
        years = (
            InstrumentVersion.objects.nacc()
            .exclude(fiscal_year__in=taken)
            .values_list("fiscal_year", flat=True)
        )
        self.fields["fiscal_year"].choices = [(year, str(year)) for year in years]
        self.fields["fiscal_year"].help_text = _(
            "Only years that have an instrument and no assessment of the agency yet."
        )

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        if Assessment.objects.official().filter(agency=self.agency, fiscal_year=year).exists():
            raise ValidationError(
                _("This agency already has an assessment for that year."), code="exists"
            )
        return year


class ScoresForm(forms.Form):
    """Every score of an assessment at every level; an empty box means the score is unknown."""

    def __init__(self, *args, data_rows: VersionData, initial_scores: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.data_rows = data_rows
        for instrument in data_rows.instruments:
            self.fields[f"n_{instrument.code}"] = ScoreField(label=instrument.code)
        for indicator in data_rows.indicators:
            self.fields[f"i_{indicator.number}"] = ScoreField(
                label=_("Indicator %(number)s") % {"number": indicator.number}
            )
        for sub in data_rows.sub_indicators:
            self.fields[f"s_{sub.key}"] = ScoreField(label=sub.key)
        for question in data_rows.questions:
            if question.kind == Question.Kind.QUESTION:
                self.fields[f"q_{question.code}"] = ScoreField(label=question.code)
        for name in self.fields:
            self.fields[name].initial = initial_scores.get(name)

    def groups(self) -> list[dict]:
        """Arrange the bound fields by instrument and indicator for the template."""
        data = self.data_rows
        groups = []
        for instrument in data.instruments:
            indicators = []
            for indicator in data.indicators:
                if indicator.instrument_id != instrument.pk:
                    continue
                indicators.append(
                    {
                        "indicator": indicator,
                        "field": self[f"i_{indicator.number}"],
                        "subs": [
                            {"sub": sub, "field": self[f"s_{sub.key}"]}
                            for sub in data.sub_indicators
                            if sub.indicator_id == indicator.pk
                        ],
                        "questions": [
                            {"question": q, "field": self[f"q_{q.code}"]}
                            for q in data.questions
                            if q.indicator_id == indicator.pk and q.kind == Question.Kind.QUESTION
                        ],
                    }
                )
            groups.append(
                {
                    "instrument": instrument,
                    "field": self[f"n_{instrument.code}"],
                    "indicators": indicators,
                }
            )
        return groups

    def scores(self) -> dict[str, dict]:
        """Return the cleaned scores by level, keyed as the service expects."""
        data = self.cleaned_data
        return {
            "instruments": {i.code: data[f"n_{i.code}"] for i in self.data_rows.instruments},
            "indicators": {i.number: data[f"i_{i.number}"] for i in self.data_rows.indicators},
            "sub_indicators": {s.key: data[f"s_{s.key}"] for s in self.data_rows.sub_indicators},
            "questions": {
                q.code: data[f"q_{q.code}"]
                for q in self.data_rows.questions
                if q.kind == Question.Kind.QUESTION
            },
        }


PRESENT_CHOICES = [("", _("Unknown")), ("yes", _("Present")), ("no", _("Absent"))]


class ItemAnswersForm(forms.Form):
    """Whether each OIT item was found, with the evidence URL and a note."""

    def __init__(self, *args, data_rows: VersionData, answers: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = [q for q in data_rows.questions if q.kind == Question.Kind.ITEM]
        self.data_rows = data_rows
        for item in self.items:
            answer = answers.get(item.code)
            present = "" if answer is None else ("yes" if answer.present else "no")
            self.fields[f"present_{item.code}"] = forms.ChoiceField(
                label=item.code, choices=PRESENT_CHOICES, required=False, initial=present
            )
            self.fields[f"url_{item.code}"] = forms.URLField(
                label=_("Evidence URL"),
                required=False,
                max_length=500,
                assume_scheme="https",
                initial=answer.evidence_url if answer else "",
            )
            self.fields[f"note_{item.code}"] = forms.CharField(
                label=_("Note"), required=False, initial=answer.note if answer else ""
            )

    def rows(self) -> list[dict]:
        subs = {sub.pk: sub for sub in self.data_rows.sub_indicators}
        return [
            {
                "item": item,
                "sub": subs[item.sub_indicator_id],
                "present": self[f"present_{item.code}"],
                "url": self[f"url_{item.code}"],
                "note": self[f"note_{item.code}"],
            }
            for item in self.items
        ]

    def clean(self) -> dict:
        data = super().clean()
        for item in self.items:
            if not data.get(f"present_{item.code}") and (
                data.get(f"url_{item.code}") or data.get(f"note_{item.code}")
            ):
                self.add_error(
                    f"present_{item.code}",
                    ValidationError(
                        _("Say whether the item is present before giving evidence."),
                        code="evidence_without_answer",
                    ),
                )
        return data

    def answers(self) -> dict[str, dict | None]:
        data = self.cleaned_data
        result: dict[str, dict | None] = {}
        for item in self.items:
            present = data[f"present_{item.code}"]
            result[item.code] = (
                None
                if not present
                else {
                    "present": present == "yes",
                    "evidence_url": data[f"url_{item.code}"],
                    "note": data[f"note_{item.code}"],
                }
            )
        return result
