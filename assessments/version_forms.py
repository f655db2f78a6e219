"""Forms for the instrument versions: copying a year, and editing its weights, bands and texts.

Numbers may be typed in Thai digits; the weights of a version must add up to 1.00 and one grade
band must start at 0, so that every total has a grade.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessments.forms import ScoreField, WeightField, YearField
from assessments.models import (
    GradeBand,
    Indicator,
    Instrument,
    InstrumentVersion,
    Question,
    SubIndicator,
)


class VersionCopyForm(forms.Form):
    """A new fiscal year's version, copied from an existing one."""

    fiscal_year = YearField(label=_("New fiscal year (B.E.)"))
    name_th = forms.CharField(label=_("Thai name"), max_length=255)
    name_en = forms.CharField(label=_("English name"), max_length=255, required=False)

    @staticmethod
    def initial_for(source: InstrumentVersion) -> dict:
        """Suggest the year after the source, named as the source with its year moved on."""
        year, following = str(source.fiscal_year), str(source.fiscal_year + 1)
        return {
            "fiscal_year": source.fiscal_year + 1,
            "name_th": source.name_th.replace(year, following),
            "name_en": source.name_en.replace(year, following) or f"ITA {following}",
        }

    def clean_fiscal_year(self) -> int:
        year = self.cleaned_data["fiscal_year"]
        if InstrumentVersion.objects.nacc().filter(fiscal_year=year).exists():
            raise ValidationError(
                _("A version for this fiscal year already exists."), code="exists"
            )
        return year


class VersionForm(forms.ModelForm):
    pass_mark = ScoreField(label=_("Pass mark"), required=True)

    class Meta:
        model = InstrumentVersion
        fields = ["name_th", "name_en", "pass_mark"]


class InstrumentForm(forms.ModelForm):
    weight = WeightField(label=_("Weight"))

    class Meta:
        model = Instrument
        fields = ["name_th", "name_en", "weight"]


class BaseInstrumentFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        total = sum((form.cleaned_data.get("weight") or Decimal(0)) for form in self.forms)
        if total != Decimal("1"):
            raise ValidationError(
                _("The weights must add up to 1.00 (now %(total)s)."),
                code="weights_sum",
                params={"total": total},
            )


InstrumentFormSet = forms.modelformset_factory(
    Instrument, form=InstrumentForm, formset=BaseInstrumentFormSet, extra=0
)


class GradeBandForm(forms.ModelForm):
    lower = ScoreField(label=_("Lowest total"), required=True)

    class Meta:
        model = GradeBand
        fields = ["grade", "lower", "label_th", "label_en"]


class BaseGradeBandFormSet(forms.BaseModelFormSet):
    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        grades = [form.cleaned_data["grade"] for form in kept]
        # Two levels may share a lowest total when their minimums differ (ผ่านดี and ผ่าน: 85).
        lowers = [
            (form.cleaned_data["lower"], tuple(sorted(form.instance.minimums.items())))
            for form in kept
        ]
        if len(set(grades)) != len(grades) or len(set(lowers)) != len(lowers):
            raise ValidationError(
                _("Each grade and each lowest total may appear only once."), code="duplicate"
            )
        if Decimal("0") not in [lower for lower, _minimums in lowers]:
            raise ValidationError(
                _("One grade band must start at 0 so that every total has a grade."),
                code="no_floor",
            )


GradeBandFormSet = forms.modelformset_factory(
    GradeBand, form=GradeBandForm, formset=BaseGradeBandFormSet, extra=1, can_delete=True
)
IndicatorFormSet = forms.modelformset_factory(Indicator, fields=["name_th", "name_en"], extra=0)
SubIndicatorFormSet = forms.modelformset_factory(
    SubIndicator, fields=["name_th", "name_en"], extra=0
)
QuestionFormSet = forms.modelformset_factory(
    Question,
    fields=["text_th", "text_en"],
    extra=0,
    widgets={
        "text_th": forms.Textarea(attrs={"rows": 1}),
        "text_en": forms.Textarea(attrs={"rows": 1}),
    },
)


class VersionEditForms:
    """A version's names and pass mark, its instruments' weights and its grade bands, as one."""

    def __init__(self, data, *, version: InstrumentVersion) -> None:
        self.version = version
        self.form = VersionForm(data, instance=version, prefix="version")
        self.instruments = InstrumentFormSet(
            data, queryset=version.instruments.order_by("order"), prefix="instruments"
        )
        self.bands = GradeBandFormSet(data, queryset=version.grade_bands.all(), prefix="bands")

    def is_valid(self) -> bool:
        # Every part is validated (no short-circuit), so that all errors show at once.
        return all([self.form.is_valid(), self.instruments.is_valid(), self.bands.is_valid()])

    @transaction.atomic
    def save(self) -> None:
        """Save the three parts together, or none of them."""
        self.form.save()
        self.instruments.save()
        for band in self.bands.save(commit=False):
            band.version = self.version
            band.save()
        for band in self.bands.deleted_objects:
            band.delete()

    def context(self) -> dict:
        return {"form": self.form, "instruments": self.instruments, "bands": self.bands}


class VersionTextForms:
    """The names of a version's indicators and sub-indicators and the texts of its questions."""

    def __init__(self, data, *, version: InstrumentVersion) -> None:
        self.indicators = IndicatorFormSet(
            data, queryset=version.indicators.order_by("order", "number"), prefix="indicators"
        )
        subs = SubIndicator.objects.filter(indicator__version=version)
        self.subs = SubIndicatorFormSet(
            data, queryset=subs.order_by("indicator__order", "order"), prefix="subs"
        )
        self.questions = QuestionFormSet(
            data, queryset=version.questions.order_by("order", "id"), prefix="questions"
        )
        self.formsets = [self.indicators, self.subs, self.questions]

    def is_valid(self) -> bool:
        # Every formset is validated (no short-circuit), so that all errors show at once.
        valid = [formset.is_valid() for formset in self.formsets]
        return all(valid)

    @transaction.atomic
    def save(self) -> None:
        """Save the three formsets together, or none of them."""
        for formset in self.formsets:
            formset.save()

    def context(self) -> dict:
        return {"indicators": self.indicators, "subs": self.subs, "questions": self.questions}
