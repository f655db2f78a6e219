"""Forms of the survey administration pages (the answer form is built from the questionnaire)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit
from assessments.instruments import Instrument
from ita_portal.forms import BuddhistDateField
from surveys.models import SurveyRound
from surveys.services import MAX_CODES_AT_ONCE

MAX_ADDRESSES = 500


class RoundForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Instrument and fiscal year"), queryset=Instrument.objects.none()
    )
    opens_on = BuddhistDateField(label=_("Opening date"))
    closes_on = BuddhistDateField(label=_("Closing date"))
    access = forms.ChoiceField(
        label=_("Who may answer (IIT)"),
        choices=SurveyRound.Access.choices,
        initial=SurveyRound.Access.LINK,
        help_text=_("An EIT round is always answered by its public link."),
    )

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        taken = SurveyRound.objects.filter(agency=agency).values("instrument")
        self.fields["instrument"].queryset = (
            Instrument.objects.filter(code__in=["IIT", "EIT"])
            .exclude(pk__in=taken)
            .select_related("version")
            .order_by("-version__fiscal_year", "order")
        )
        self.fields["instrument"].label_from_instance = lambda i: (
            f"{i.code} {i.version.fiscal_year} {i.name_th}"
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error(
                "closes_on",
                ValidationError(
                    _("The closing date is before the opening date."), code="closes_early"
                ),
            )
        return data


class DatesForm(forms.Form):
    opens_on = BuddhistDateField(label=_("Opening date"))
    closes_on = BuddhistDateField(label=_("Closing date"))


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    population = forms.IntegerField(
        label=_("Population"),
        min_value=1,
        max_value=10_000_000,
        help_text=_("Staff employed for a year or more (IIT), or people served this year (EIT)."),
    )

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency).order_by("code")


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"), min_value=1, max_value=MAX_CODES_AT_ONCE, initial=30
    )


class MailCodesForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses, one a line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_ADDRESSES * 260,
        help_text=_("Each address gets its own code. The portal does not keep the addresses."),
    )

    def clean_addresses(self) -> list[str]:
        lines = [
            line.strip() for line in self.cleaned_data["addresses"].splitlines() if line.strip()
        ]
        if len(lines) > MAX_ADDRESSES:
            raise ValidationError(
                _("At most %(max)s addresses at a time."), code="too_many", params={"max": 500}
            )
        for number, line in enumerate(lines, start=1):
            try:
                validate_email(line)
            except ValidationError:
                raise ValidationError(
                    _("Line %(line)s is not an e-mail address: %(text)s"),
                    code="bad_address",
                    params={"line": number, "text": line[:80]},
                ) from None
        if not lines:
            raise ValidationError(_("Give at least one address."), code="empty")
        return list(dict.fromkeys(lines))
