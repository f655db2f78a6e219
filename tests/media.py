"""Temporary MEDIA_ROOTs: one a test case class shares, and one for this test process."""

import atexit
import shutil
import tempfile
from pathlib import Path

from django.test import override_settings


class TemporaryMediaRoot:
    """Mix into a TestCase (before it): MEDIA_ROOT is a fresh directory for the whole class."""

    media_prefix = "ita-test-media-"

    @classmethod
    def setUpClass(cls) -> None:
        cls.media_dir = tempfile.TemporaryDirectory(prefix=cls.media_prefix)
        cls.media_settings = override_settings(MEDIA_ROOT=Path(cls.media_dir.name))
        cls.media_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.media_settings.disable()
        cls.media_dir.cleanup()


# The upload tests' MEDIA_ROOT: one per test process (a pytest-xdist worker is one), so two
# workers never sweep each other's staged uploads; removed when the process ends.
PROCESS_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ita-import-tests-")) / "media"
atexit.register(shutil.rmtree, PROCESS_MEDIA_ROOT.parent, True)
