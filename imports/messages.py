"""What an import says about a row, written once for the bulk import and the admin's resources.

Both paths check the same things (imports/planner.py for the import page and the command,
imports/resources.py for django-import-export in the Django admin); each message here is the
reason given for a row, in the active language, filled with `%` and the named parameters.
"""

from django.utils.translation import gettext_lazy as _

NO_VERSION = _("there is no instrument version for the fiscal year %(year)s; create it first.")
UNKNOWN_AGENCY = _(
    "the agency “%(code)s” is not in the portal; add it to the agencies sheet with its Thai name."
)
UNKNOWN_INDICATOR = _("the %(year)s instrument has no indicator %(number)s.")
UNKNOWN_QUESTION = _("the %(year)s instrument has no question %(code)s (IIT/EIT questions only).")
UNKNOWN_ITEM = _("the %(year)s instrument has no OIT item %(code)s.")
UNKNOWN_GRADE = _("“%(grade)s” is not a grade of the %(year)s instrument (%(grades)s).")
OTHER_AGENCY = _(
    "the row is for the agency “%(code)s”, but you may import only your own agency's rows "
    "(%(own)s); another agency's figures, and new agencies, are imported by a data steward."
)
