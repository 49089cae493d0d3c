"""Re-encrypt every EncryptedTextField value with the newest key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old one after it), deploy,
run ``manage.py rotate_secrets``, then remove the old key. Works on the stored tokens directly
(MultiFernet.rotate), so plaintext never passes through the ORM or the logs.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from recruiting.fields import EncryptedTextField, rotate_token


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field value with the newest key in FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int = 500, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            for field in fields:
                total += self._rotate(model, field, batch_size)
        if options.get("verbosity", 1):
            self.stdout.write(f"Re-encrypted {total} value(s) with the newest key.")

    def _rotate(self, model, field, batch_size: int) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(field.column)
        pk = connection.ops.quote_name(model._meta.pk.column)
        count, last_pk = 0, None
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
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [rotate_token(token), row_pk])
                count += len(rows)
            if len(rows) < batch_size:
                return count
            last_pk = rows[-1][0]
