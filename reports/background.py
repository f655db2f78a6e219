"""Renders of the reports and documents as background jobs: the result goes to the shared cache.

The job's page then links the same download address, which the cache answers at once.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.models import Assessment
from jobs.models import Job
from jobs.services import Outcome, Progress, handler
from measures.models import Plan, Round


@handler("summary_pdf")
def summary_pdf(job: Job, progress: Progress) -> Outcome:
    from reports.views import summary_pdf_bytes

    progress(10, _("Laying out the pages"))
    assessment = Assessment.objects.select_related("agency", "version").get(
        pk=job.arguments["assessment"]
    )
    summary_pdf_bytes(assessment, job.arguments["digits"], stamp=job.arguments.get("stamp"))
    return Outcome(url=job.arguments["url"])


@handler("progress_pdf")
def progress_pdf(job: Job, progress: Progress) -> Outcome:
    from reports.views import progress_pdf_bytes

    progress(10, _("Laying out the pages"))
    round_ = Round.objects.select_related("plan__agency").get(pk=job.arguments["round"])
    progress_pdf_bytes(round_, job.arguments["digits"], stamp=job.arguments.get("stamp"))
    return Outcome(url=job.arguments["url"])


@handler("document")
def document(job: Job, progress: Progress) -> Outcome:
    from reports.document_views import document_bytes

    progress(10, _("Laying out the pages"))
    plan = Plan.objects.select_related("agency").get(pk=job.arguments["plan"])
    arguments = job.arguments
    document_bytes(
        plan, arguments["kind"], arguments["format"], arguments["digits"], arguments.get("stamp")
    )
    return Outcome(url=arguments["url"])
