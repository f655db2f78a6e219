"""Stored files go when their row goes: every deletion path, after its transaction commits.

A row with a FileField (evidence) may be deleted by a service, the Django admin (one object,
a bulk action, or a cascade from its report, plan or agency) or the shell. One post_delete
receiver, connected for every such model, schedules the file's removal with
`transaction.on_commit`, so a rolled-back deletion keeps its file and no path leaves one behind.
A file that another row still names (evidence reused in a later round) stays.
"""

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete


def _remove_files(sender, instance, using, **kwargs) -> None:
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.FileField):
            continue
        stored = getattr(instance, field.attname)
        if stored and stored.name:
            if sender._base_manager.using(using).filter(**{field.attname: stored.name}).exists():
                continue  # another row still uses the file
            storage, name = stored.storage, stored.name
            transaction.on_commit(lambda s=storage, n=name: s.delete(n), using=using)


def connect_file_removal() -> None:
    """Connect the receiver for every installed model that stores files."""
    for model in apps.get_models():
        if model._meta.managed and any(
            isinstance(field, models.FileField) for field in model._meta.concrete_fields
        ):
            post_delete.connect(
                _remove_files, sender=model, dispatch_uid=f"files-{model._meta.label}"
            )
