"""python manage.py webhooks_replay [--failed] [ID ...]: process stored webhook deliveries again."""

from django.core.management.base import BaseCommand, CommandError

from recruiting.services.webhook_inbox import FAILED, MISSING, replay_summary, webhook_deliveries_replay


class Command(BaseCommand):
    help = ("Replay stored JobMojito webhook deliveries (process them again, in this process): the ones "
            "named by ID, and with --failed every delivery now failed.")

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, metavar="ID", help="Delivery ids (see /webhooks/).")
        parser.add_argument("--failed", action="store_true", help="Also replay every failed delivery.")

    def handle(self, *args, ids, failed, **options):
        if not ids and not failed:
            raise CommandError("Name the deliveries to replay (IDs from /webhooks/), or pass --failed.")
        results = webhook_deliveries_replay(delivery_ids=ids, failed=failed)
        if not results:
            self.stdout.write("No failed deliveries to replay.")
            return
        for result in results:
            line = f"#{result.delivery_id}: {result.outcome}" + (f" ({result.error})" if result.error else "")
            style = self.style.ERROR if result.outcome in (FAILED, MISSING) else self.style.SUCCESS
            self.stdout.write(style(line))
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(replay_summary(results).items()))
        self.stdout.write(f"Replayed {len(results)}: {summary}.")
        if any(r.outcome in (FAILED, MISSING) for r in results):
            raise CommandError("Some deliveries could not be replayed (see above).", returncode=1)
