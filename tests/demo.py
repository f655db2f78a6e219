"""The demo data for tests that commit (browser journeys, backups): loaded once, then written back.

`load_demo()` gives a transactional test's flushed database what `manage.py load_demo --force`
writes: the first test runs the command, the later ones get its image (tests/snapshots.py).
"""

import io

from django.core.management import call_command

from tests.snapshots import Image

_IMAGE = Image(lambda: call_command("load_demo", "--force", stdout=io.StringIO()))


def load_demo() -> None:
    """Fill a transactional test's database with the demo data, as the command would.

    The image replaces every row: rows the test wrote before are caught by their count, and the
    command runs instead.
    """
    _IMAGE.apply()
