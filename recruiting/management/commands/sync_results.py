"""`manage.py sync_results`: reconcile interviews and results with JobMojito and print what changed."""

import datetime as dt

from django.core.management.base import BaseCommand

from recruiting.services.mirror_sync import DEFAULT_OVERLAP, reconcile_all


class Command(BaseCommand):
    help = (
        "Page through merchant-interview-list and merchant-result-list (newest-updated first, from the "
        "newest timestamp already stored minus an overlap) and fetch/upsert what is new or changed. "
        "Heals results whose webhook never arrived; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Ignore the watermark and walk every row.")
        parser.add_argument("--overlap-minutes", type=float, default=DEFAULT_OVERLAP.total_seconds() / 60,
                            help="How far before the newest stored timestamp to start (default %(default)s).")
        parser.add_argument("--results-only", action="store_true", help="Skip the interview definitions.")

    def handle(self, *args, **options):
        report = reconcile_all(
            full=options["full"],
            overlap=dt.timedelta(minutes=options["overlap_minutes"]),
            interviews=not options["results_only"],
        )
        self.stdout.write(
            f"Interviews: {report.interviews_seen} listed, {report.interview_fetches} fetched, "
            f"{report.interviews_created} new, {report.interviews_updated} updated."
        )
        self.stdout.write(
            f"Results: {report.results_seen} listed, {report.detail_fetches} details fetched, "
            f"{report.results_created} new, {report.results_updated} updated, {report.results_unchanged} unchanged."
        )
        for error in report.errors:
            self.stderr.write(f"  error: {error}")
        style = self.style.WARNING if report.errors else self.style.SUCCESS
        self.stdout.write(style(f"Done with {len(report.errors)} error(s)."))
