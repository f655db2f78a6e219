from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from ita_portal.feedback import add_service_errors, message_errors


class ScoreForm(forms.Form):
    score = forms.DecimalField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_it_puts_a_services_field_errors_beside_their_fields():
    form = ScoreForm({"score": "1"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"score": "too high", "version": "no version"}))
    assert form.errors == {"score": ["too high"], "__all__": ["no version"]}


def test_it_puts_a_plain_service_error_on_top():
    form = ScoreForm({"score": "1"})
    form.is_valid()
    add_service_errors(form, ValidationError("the round is locked"))
    assert form.non_field_errors() == ["the round is locked"]


def test_it_shows_a_forms_or_a_services_errors_as_messages():
    request = _request()
    form = ScoreForm({"score": "x"})
    form.is_valid()
    message_errors(request, form)
    message_errors(request, ValidationError(["locked", "late"]))
    shown = [str(m) for m in get_messages(request)]
    assert shown == [form.errors["score"][0], "locked", "late"]
