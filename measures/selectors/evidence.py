"""Evidence a report may reuse: what the activity's earlier rounds hold and this one lacks."""

from __future__ import annotations

from measures.models import Evidence, ProgressReport


def reusable_evidence(report: ProgressReport, attached: list[Evidence]) -> list[Evidence]:
    """Return the earlier rounds' evidence of the report's activity not attached to it yet.

    `attached` is the report's own evidence, loaded already. Queries: 1.
    """
    taken = {("file", e.file.name) if e.file else ("url", e.url) for e in attached}
    taken_sources = {e.reused_from_id for e in attached}
    earlier = (
        Evidence.objects.filter(
            report__activity_id=report.activity_id,
            report__round__number__lt=report.round.number,
        )
        .select_related("report__round")
        .order_by("-report__round__number", "uploaded_at", "pk")
    )
    found, seen = [], set(taken)
    for item in earlier:
        key = ("file", item.file.name) if item.file else ("url", item.url)
        if item.pk in taken_sources or key in seen:
            continue
        seen.add(key)
        found.append(item)
    return found
