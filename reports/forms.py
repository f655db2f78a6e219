"""Forms of the measures document: they validate; reports.services writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.forms import BuddhistDateField
from measures.forms.reports import NamedLimitsMixin
from reports.models import APPROACH_LIMIT, TEXT_LIMIT, DocumentSettings, IssuedDocument


class DocumentTextForm(NamedLimitsMixin, forms.Form):
    """One narrative of the document; left empty, the document shows the portal's draft."""

    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea({"rows": 14}),
        help_text=_(
            "A blank line starts a new paragraph; a line starting with “- ” is a list "
            "item. Leave it empty to use the portal's draft."
        ),
    )


class DocumentSettingsForm(NamedLimitsMixin, forms.ModelForm):
    issued_on = BuddhistDateField(label=_("date of the document"), required=False)

    class Meta:
        model = DocumentSettings
        fields = [
            "issuing_unit",
            "issued_on",
            "signer_name",
            "signer_position",
            "memo",
            "memo_to",
            "memo_reference",
        ]


class WeaknessApproachForm(NamedLimitsMixin, forms.Form):
    approach = forms.CharField(
        label=_("Approach"),
        required=False,
        max_length=APPROACH_LIMIT,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("One line per point. Leave it empty to remove the weakness from section 4."),
    )
    responsible = forms.CharField(label=_("Responsible units"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("approach", "").strip() and not data.get("responsible", "").strip():
            self.add_error(
                "responsible",
                forms.ValidationError(
                    _("Name the units responsible for this approach."), code="responsible"
                ),
            )
        return data


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=IssuedDocument.Kind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=IssuedDocument.Format.choices)
    thai_digits = forms.BooleanField(label=_("Thai digits"), required=False)
