"""Forms of the OIT self-check: they validate input; services do the writing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from assessments.models import SubItem
from ita_portal.forms import BuddhistDateField
from measures.forms.reports import NamedLimitsMixin
from measures.uploads import check_evidence_file
from oit.models import TEXT_LIMIT, OitItem
from oit.services import MAX_LINKS


class RoundForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (B.E.)"),
        min_value=2500,
        max_value=2700,
        error_messages={
            "min_value": _("Enter a Buddhist-Era year, e.g. 2564."),
            "max_value": _("Enter a Buddhist-Era year, e.g. 2564."),
        },
    )


class AssignForm(NamedLimitsMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), required=False
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("Named people"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple({"size": 4}),
        help_text=_("With nobody named, the unit's members answer the item."),
    )
    due_on = BuddhistDateField(label=_("Due on"), required=False)
    requirement = forms.CharField(
        label=_("Requirement"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency)
        self.fields["owners"].queryset = User.objects.filter(agency=agency, is_active=True)


class UrlsField(forms.CharField):
    """One URL a line; each must be an http(s) address."""

    widget = forms.Textarea({"rows": 3})

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > MAX_LINKS:
            raise ValidationError(
                _("At most %(n)s links per item."), code="too_many_links", params={"n": MAX_LINKS}
            )
        check = URLValidator(schemes=["http", "https"])
        for url in value:
            if len(url) > 500:
                raise ValidationError(_("A link is longer than 500 characters."), code="url_long")
            try:
                check(url)
            except ValidationError:
                raise ValidationError(
                    _("Not a web address: %(url)s"), code="url", params={"url": url[:100]}
                ) from None

    def run_validators(self, value) -> None:
        # The length validators of a CharField measure a string, not the list of lines.
        return None


class AnswerForm(NamedLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=OitItem.Status.choices)
    elements = forms.ModelMultipleChoiceField(
        label=_("Required elements shown"),
        queryset=SubItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urls = UrlsField(
        label=_("Links (one per line)"),
        required=False,
        help_text=_("The pages of the agency's website that show the item."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, item: OitItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elements"].queryset = item.question.sub_items.order_by("order", "code")


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_evidence_file(file)
        return file


class ReviewForm(NamedLimitsMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"), coerce=Decimal, required=False, empty_value=None
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, allowed: tuple[Decimal, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [("", "–")] + [(str(v), score_label(v)) for v in allowed]


def score_label(value: Decimal) -> str:
    """Name a score value: present/absent for 1 and 0, else the number."""
    if value == 1:
        return f"1 ({_('present')})"
    if value == 0:
        return f"0 ({_('absent')})"
    return str(value.normalize())
