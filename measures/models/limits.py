"""How long each free text of the measures plan may be, and the message that says so.

One staff user pasted 1.6 MB of Thai into a report's results and every download of the round's
progress PDF took 60 s and failed. Each text now has a limit a real report stays far below (a
six-month result is a few paragraphs), so one field cannot make a report unprintable.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

RESULTS = 5000
OBSTACLES = 3000
NEXT_STEPS = 3000
REVIEW_COMMENT = 2000
RATIONALE = 5000
STEP_TEXT = 1000
STEPS_PER_ACTIVITY = 30
INDICATORS_PER_ACTIVITY = 10
EVIDENCE_PER_REPORT = 30


@deconstructible
class TextLimit(MaxLengthValidator):
    """Refuse a text longer than the limit, naming the field in the message."""

    message = _("%(field)s can be at most %(limit)s characters long; this text has %(length)s.")
    code = "too_long"

    def __init__(self, limit_value: int, field: str) -> None:
        super().__init__(limit_value)
        self.field = field

    def __call__(self, value: str) -> None:
        if self.compare(self.clean(value), self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "field": capfirst(self.field),
                    "limit": number_format(self.limit_value, force_grouping=True),
                    "length": number_format(len(value), force_grouping=True),
                },
            )

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.field == getattr(other, "field", None)
