"""The demo image for committing tests: written back whole after a flush, never over rows."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import Agency
from tests.snapshots import Image


def flush(*, reset_sequences: bool) -> None:
    """Empty the database as a committing test's end does (or as a backup test's wipe does)."""
    call_command("flush", interactive=False, verbosity=0, reset_sequences=reset_sequences)


def groups() -> list[tuple[int, str]]:
    return sorted(Group.objects.values_list("pk", "name"))


@pytest.mark.django_db(transaction=True)
def test_the_image_comes_back_after_a_flush_and_yields_to_rows_a_test_wrote():
    loads = []

    def load() -> None:
        loads.append(1)
        Agency.objects.create(code="image-test", name_th="หน่วยงานของภาพ")

    flush(reset_sequences=True)  # the loader's rows take the first keys
    image = Image(load)
    image.apply()
    first, roles = Agency.objects.get(code="image-test").pk, groups()

    # A test's end: the role groups come back under new ids; the image brings back the first.
    flush(reset_sequences=False)
    assert not Agency.objects.exists() and groups() != roles
    image.apply()
    assert len(loads) == 1, "the image was not used"
    assert Agency.objects.get(code="image-test").pk == first and groups() == roles

    # A wipe that resets the sequences: the rows a test adds after the image still get new keys.
    flush(reset_sequences=True)
    image.apply()
    assert len(loads) == 1
    Agency.objects.create(code="after-image", name_th="หน่วยงานหลังภาพ")
    Group.objects.create(name="after-image")

    # A test that wrote a row first: the loader runs, the row stays.
    flush(reset_sequences=False)
    Agency.objects.create(code="written-first", name_th="หน่วยงานที่การทดสอบสร้างก่อน")
    image.apply()
    assert len(loads) == 2, "the image replaced a row the test wrote"
    assert set(Agency.objects.values_list("code", flat=True)) == {"written-first", "image-test"}
