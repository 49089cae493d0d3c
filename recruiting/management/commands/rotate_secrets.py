"""Re-encrypt every EncryptedTextField value with the newest key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one after it), deploy,
run ``manage.py rotate_secrets``, then remove the old key. Works on the stored tokens directly
(MultiFernet.rotate), so plaintext never passes through the ORM or the logs.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from recruiting.fields import EncryptedTextField, SecretUndecryptable, rotate_token


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field value with the newest key in FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int = 500, **options):
        total, unreadable = 0, 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            for field in fields:
                done, skipped = self._rotate(model, field, batch_size)
                total, unreadable = total + done, unreadable + skipped
        if options.get("verbosity", 1):
            self.stdout.write(f"Re-encrypted {total} value(s) with the newest key.")
        if unreadable:
            self.stderr.write(
                f"{unreadable} value(s) could not be decrypted with any configured key and were left as they are: "
                "add the key they were written with to FIELD_ENCRYPTION_KEYS (or the old secret key to "
                "DJANGO_SECRET_KEY_FALLBACKS) and run rotate_secrets again.")

    def _rotate(self, model, field, batch_size: int) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(field.column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        count, skipped, last_pk = 0, 0, None
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"{column} IS NOT NULL AND {column} <> ''"
                params: list = []
                if last_pk is not None:
                    where += f" AND {pk} > %s"
                    params.append(last_pk)
                lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s{lock}",
                    [*params, batch_size],
                )
                rows = cursor.fetchall()
                for row_pk, token in rows:
                    try:
                        rotated = rotate_token(token)
                    except SecretUndecryptable:
                        skipped += 1
                        continue
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [rotated, row_pk])
                    count += 1
            if len(rows) < batch_size:
                return count, skipped
            last_pk = rows[-1][0]
