from django.apps import AppConfig


class MojitoConfig(AppConfig):
    name = "mojito"
    verbose_name = "JobMojito"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(migrate_calllog_database, sender=self, dispatch_uid="mojito-calllog-migrate")


_calllog_migrated: set[str] = set()


def migrate_calllog_database(sender, using=None, **kwargs):
    """``migrate`` of the main database also migrates the call log's own database (SQLite), once
    per process, so ``manage.py migrate`` is still the one command to run."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections

    from mojito.calllog_db import calllog_alias, calllog_is_separate_database

    alias = calllog_alias()
    if using != DEFAULT_DB_ALIAS or not calllog_is_separate_database() or alias in _calllog_migrated:
        return
    main = connections[DEFAULT_DB_ALIAS]
    if main.settings_dict["NAME"] == main.creation._get_test_db_name():
        return  # a test run: the test runner creates the call log's own test database itself
    _calllog_migrated.add(alias)
    call_command("migrate", database=alias, verbosity=0, interactive=False)
