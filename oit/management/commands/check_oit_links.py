"""Check every link of the OIT rounds not yet approved (or one agency's round of a year)."""

from django.core.management.base import BaseCommand, CommandError

from oit.models import OitRound
from oit.tasks import check_links


class Command(BaseCommand):
    help = (
        "Fetch each OIT link (timeout, redirects, SSRF guard) and record its status code, final "
        "URL and time; flag broken, moved and login-walled pages."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--agency", help="Agency code (with --year): only its round.")
        parser.add_argument("--year", type=int, help="Fiscal year (B.E.) of the round.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the check for the worker (make worker) instead of running it now.",
        )

    def handle(self, *args, agency=None, year=None, background=False, **options) -> None:
        round_id = None
        if agency or year:
            if not (agency and year):
                raise CommandError("Give both --agency and --year, or neither.")
            round_ = OitRound.objects.filter(agency__code=agency, fiscal_year=year).first()
            if round_ is None:
                raise CommandError(f"No OIT round of {agency} in {year}.")
            round_id = round_.pk
        if background:
            result = check_links.enqueue(round_id)
            self.stdout.write(f"queued: {result.id}")
            return
        counts = check_links.call(round_id)
        summary = ", ".join(f"{k or 'unchecked'} {v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"{sum(counts.values())} link(s) checked: {summary or 'none'}")
