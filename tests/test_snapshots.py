"""The demo rows the test classes share: a snapshot only over the rows it was recorded on, and the
image for committing tests, written back whole after a flush, never over rows."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from accounts.models import Agency, User
from tests.snapshots import Image, Snapshot


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


@pytest.mark.django_db(transaction=True)
def test_the_snapshot_runs_its_loader_again_once_a_flush_renumbered_the_groups():
    loads = []

    def load() -> None:
        loads.append(1)
        User.objects.create(username="snapshot-test").groups.add(Group.objects.order_by("pk")[0])

    def apply_in_a_test_class() -> list[tuple[int, str]]:
        """What a test class sees: the snapshot applied in a transaction rolled back after."""
        with transaction.atomic():
            snapshot.apply()
            seen = sorted(
                User.objects.get(username="snapshot-test").groups.values_list("pk", "name")
            )
            transaction.set_rollback(True)
        return seen

    snapshot = Snapshot(load)
    first = apply_in_a_test_class()
    assert apply_in_a_test_class() == first and len(loads) == 1, "the recording was not used"

    # A transactional test's end: the role groups come back under new ids, which the recorded
    # rows do not name; the loader runs again (writing them would break a foreign key).
    flush(reset_sequences=False)
    renumbered = apply_in_a_test_class()
    assert len(loads) == 2 and renumbered != first
    assert [name for _, name in renumbered] == [name for _, name in first]
    assert apply_in_a_test_class() == renumbered and len(loads) == 2, "not recorded anew"
