"""The link checks in the background (django-tasks): one task per round, or every open round.

With TASKS_BACKEND=database the worker (`make worker`) runs them; with the immediate backend
(DEBUG, tests) they run at once. `manage.py check_oit_links --background` queues the same task
from cron.
"""

from __future__ import annotations

from django_tasks import task


@task()
def check_links(round_id: int | None = None) -> dict[str, int]:
    """Check the links of one round, or of every round not yet approved."""
    from oit.models import OitLink, OitRound
    from oit.services import links_check

    links = OitLink.objects.select_related("item__round")
    if round_id is None:
        links = links.exclude(item__round__state=OitRound.State.APPROVED)
    else:
        links = links.filter(item__round_id=round_id)
    return links_check(links.order_by("pk"))
