"""Where ``ApiCall`` rows are written: a database connection of their own.

A call made inside a transaction that rolls back (exactly the calls that failed) must still leave
its row, so the row is written through ``settings.MOJITO_CALLLOG_DATABASE`` (an alias in
``DATABASES``), never through the caller's connection:

* PostgreSQL: the alias names the same database; it is a second connection, committing on its own.
* SQLite: a second connection cannot write while the caller's connection holds its write
  transaction (SQLite has one writer per file), so the alias is a file of its own next to the main
  one, holding only the ``ApiCall`` table (``migrate`` creates it there; see ``MojitoConfig``).

``CallLogRouter`` sends ``ApiCall`` reads and writes to that alias and keeps migrations where the
table lives. Without the setting everything stays on ``default`` (the old behaviour).
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

CALLLOG_MODEL = ("mojito", "apicall")


def calllog_alias() -> str:
    return getattr(settings, "MOJITO_CALLLOG_DATABASE", None) or DEFAULT_DB_ALIAS


def calllog_is_separate_database() -> bool:
    """True when the call log lives in a database of its own (SQLite), not a second connection."""
    alias = calllog_alias()
    if alias == DEFAULT_DB_ALIAS:
        return False
    ours, main = settings.DATABASES[alias], settings.DATABASES[DEFAULT_DB_ALIAS]
    if ours.get("TEST", {}).get("MIRROR") == DEFAULT_DB_ALIAS:
        return False
    return (ours.get("ENGINE"), ours.get("NAME"), ours.get("HOST"), ours.get("PORT")) != (
        main.get("ENGINE"), main.get("NAME"), main.get("HOST"), main.get("PORT"))


def _is_calllog(app_label: str, model_name: str | None) -> bool:
    return (app_label, (model_name or "").lower()) == CALLLOG_MODEL


class CallLogRouter:
    def db_for_read(self, model, **hints):
        if _is_calllog(model._meta.app_label, model._meta.model_name):
            return calllog_alias()
        return None

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        alias = calllog_alias()
        if alias == DEFAULT_DB_ALIAS:
            return None
        if db == alias:
            # Only the ApiCall table, and only when this alias is a database of its own.
            return _is_calllog(app_label, model_name) and calllog_is_separate_database()
        if _is_calllog(app_label, model_name) and calllog_is_separate_database():
            return False
        return None
