"""Create a demo superuser when the database has no user at all, and print its login."""

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' if there is no user yet, and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="", help="Default: a random password.")
        parser.add_argument("--save-to", default="", help="Also write 'username / password' to this file (local demo only).")

    def handle(self, *args, **options):
        User = get_user_model()
        save_to = Path(options["save_to"]) if options["save_to"] else None
        if User.objects.exists():
            if save_to and save_to.exists():
                self.stdout.write(f"Demo login: {save_to.read_text().strip()}")
            else:
                self.stdout.write("Users exist already; log in with yours (or `manage.py createsuperuser`).")
            return
        password = options["password"] or secrets.token_urlsafe(9)
        User.objects.create_superuser(options["username"], email="admin@example.com", password=password)
        line = f"username {options['username']} / password {password}"
        if save_to:
            save_to.parent.mkdir(parents=True, exist_ok=True)
            save_to.write_text(line + "\n")
            save_to.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Demo login created: {line}"))
