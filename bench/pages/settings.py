"""Settings for bench/pages: the portal's own, plus a URLconf holding the bare baseline view."""

from ita_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages.urls"
# The bench renders pages in-process: plain static URLs spare it a collectstatic run.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
