"""Create a demo superuser when the database has no user at all, and print its login."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' if there is no user yet, and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="", help="Default: a random password, printed once.")

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write("Users exist already; log in with yours (or `manage.py createsuperuser`).")
            return
        password = options["password"] or secrets.token_urlsafe(9)
        User.objects.create_superuser(options["username"], email="admin@example.com", password=password)
        self.stdout.write(self.style.SUCCESS(
            f"Demo login created. Username: {options['username']}  Password: {password}"
        ))
