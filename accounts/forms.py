"""Forms for an administrator managing the users and units of their agency."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit, User
from accounts.roles import AGENCY_ROLES, Role


class UnitChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, unit: Unit) -> str:
        return str(unit)


class UserForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in AGENCY_ROLES]
    )
    units = UnitChoiceField(label=_("Units"), queryset=Unit.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Active (may log in)"), required=False, initial=True)

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(agency=agency)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == Role.STAFF and not data.get("units"):
            self.add_error(
                "units",
                ValidationError(_("Staff must belong to at least one unit."), code="staff_unit"),
            )
        return data


class NewUserForm(UserForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and @/./+/-/_ only.")},
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    field_order = ["username", "first_name", "last_name", "email", "role", "units"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."), code="username_taken")
        return username

    def clean(self) -> dict:
        data = super().clean()
        check_passwords(self, data, User(username=data.get("username", "")))
        return data


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        data = super().clean()
        check_passwords(self, data, self.user)
        return data


def check_passwords(form: forms.Form, data: dict, user: User) -> None:
    """Add errors to form when the two passwords differ or fail the password validators."""
    first, second = data.get("password1"), data.get("password2")
    if not first or not second:
        return
    if first != second:
        form.add_error(
            "password2", ValidationError(_("The two passwords differ."), code="password_mismatch")
        )
        return
    try:
        password_validation.validate_password(first, user)
    except ValidationError as error:
        form.add_error("password1", error)


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, help_text=_("Thai abbreviation, e.g. กพบ.")
    )
    name_th = forms.CharField(label=_("Thai name"), max_length=255)
    name_en = forms.CharField(label=_("English name"), max_length=255, required=False)
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, agency: Agency, unit: Unit | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agency, self.unit = agency, unit
        parents = Unit.objects.filter(agency=agency)
        if unit is not None:
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = Unit.objects.filter(agency=self.agency, code=code)
        if self.unit is not None:
            clash = clash.exclude(pk=self.unit.pk)
        if clash.exists():
            raise ValidationError(_("Another unit already has this code."), code="unit_code_taken")
        return code
