"""Telling the user what a form or a service refused: the one place every view turns errors into
something on the page.

A service raises ValidationError (a dict of field -> messages, or plain messages); a view either
puts those errors on the form it redisplays, or, when it redirects, into the messages framework.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's errors on the form: beside their field when it has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def message_errors(request: HttpRequest, source: forms.BaseForm | ValidationError) -> None:
    """Show each message of a bound form's errors or of a ValidationError on the next page."""
    if isinstance(source, ValidationError):
        texts = source.messages
    else:
        texts = [text for errors in source.errors.values() for text in errors]
    for text in texts:
        messages.error(request, text)
