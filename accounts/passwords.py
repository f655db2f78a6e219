"""Django's password validators and forms, with the portal's own words (Thai in locale/).

Django's Thai catalogue lacks most of these messages and help texts, so the password pages
spoke English inside Thai pages. The rules are Django's; only what they say is the portal's.
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self) -> str:
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("This password is too much like your %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Not like your username, name or e-mail address.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is one of the most common ones: choose another.")

    def get_help_text(self) -> str:
        return _("Not a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is digits only: add letters or signs.")

    def get_help_text(self) -> str:
        return _("Not digits only.")


def new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    """The new password and its repetition, labelled and explained in the portal's words."""
    widget = {"autocomplete": "new-password"}
    return (
        forms.CharField(
            label=_("New password"),
            strip=False,
            widget=forms.PasswordInput(attrs=widget),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("New password again"),
            strip=False,
            widget=forms.PasswordInput(attrs=widget),
            help_text=_("Type the new password once more, to be sure of it."),
        ),
    )


MISMATCH = _("The two passwords differ.")


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choose a new password (after a reset link)."""

    error_messages = {**auth_forms.SetPasswordForm.error_messages, "password_mismatch": MISMATCH}
    new_password1, new_password2 = new_password_fields()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Change one's own password, giving the current one."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_mismatch": MISMATCH,
        "password_incorrect": _("The current password is not right. Type it again."),
    }
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1, new_password2 = new_password_fields()
    field_order = ["old_password", "new_password1", "new_password2"]


class AuthenticationForm(auth_forms.AuthenticationForm):
    """The login form."""

    error_messages = {
        "invalid_login": _("Wrong username or password. Both tell capitals from small letters."),
        "inactive": _("This account is disabled. Ask your agency's administrator."),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Ask for a reset link by e-mail."""

    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
