"""recruiting.db.sqlite3: writers of a file database queue on an OS lock, and it is always released."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[3]

SETUP = textwrap.dedent("""
    import os, sys, django
    sys.path.insert(0, {base!r})
    os.environ.update(DJANGO_SETTINGS_MODULE="recruiting.settings", DJANGO_DEBUG="true",
                      DATABASE_URL="sqlite:///{db}", DJANGO_LOG_LEVEL="WARNING", CELERY_BROKER_DIR={broker!r})
    django.setup()
    from django.db import connection, transaction
    from mojito.models import WebhookDelivery
""")


def _python(code: str, tmp_path) -> subprocess.Popen:
    script = SETUP.format(base=str(BASE), db=tmp_path / "db.sqlite3", broker=str(tmp_path / "broker")) + textwrap.dedent(code)
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def database(tmp_path):
    migrate = _python("from django.core.management import call_command; call_command('migrate', verbosity=0)",
                      tmp_path)
    out, err = migrate.communicate(timeout=120)
    assert migrate.returncode == 0, err
    return tmp_path


def test_four_processes_writing_at_once_all_succeed_with_a_short_busy_timeout(database):
    # A 1 s busy timeout: without the queue, writers racing in transactions and in autocommit
    # would hit "database is locked"; with it every write lands.
    writer = """
        connection.settings_dict["OPTIONS"]["timeout"] = 1
        for i in range(150):
            if i % 2:
                with transaction.atomic():
                    WebhookDelivery.objects.create(event="interview_result", dedup_key=f"{tag}-{i}", body="{{}}")
                    WebhookDelivery.objects.filter(dedup_key=f"{tag}-{i}").update(attempts=1)
            else:
                WebhookDelivery.objects.create(event="interview_result", dedup_key=f"{tag}-{i}", body="{{}}")
        print("ok")
    """
    procs = [_python(f"tag = 'w{n}'\n" + textwrap.dedent(writer), database) for n in range(4)]
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0 and out.strip() == "ok", err[-2000:]
    count = _python("print(WebhookDelivery.objects.count(), WebhookDelivery.objects.filter(attempts=1).count())",
                    database)
    out, err = count.communicate(timeout=60)
    assert out.split() == ["600", "300"], err


def test_the_lock_is_released_after_commit_rollback_and_a_failed_statement(database):
    probe = """
        from django.db import IntegrityError
        import fcntl, os
        def free():
            fd = os.open(connection.settings_dict["NAME"] + ".writelock", os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False
            finally:
                os.close(fd)
        with transaction.atomic():
            WebhookDelivery.objects.create(event="interview_result", dedup_key="a", body="{}")
            assert not free()
        assert free()
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(event="interview_result", dedup_key="b", body="{}")
                raise RuntimeError
        except RuntimeError:
            pass
        assert free()
        try:
            WebhookDelivery.objects.create(event="interview_result", dedup_key="a", body="{}")
        except IntegrityError:
            pass
        assert free()
        from django.db import connections
        print(connection.vendor, type(connections["default"]).__module__)
    """
    proc = _python(probe, database)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err[-2000:]
    assert out.split() == ["sqlite", "recruiting.db.sqlite3.base"]
