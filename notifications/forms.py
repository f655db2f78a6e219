"""The form of the notification settings page."""

from django import forms

from notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "language"]
        widgets = {"email": forms.RadioSelect({"class": "form-check-input"})}
