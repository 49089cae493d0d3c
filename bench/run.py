#!/usr/bin/env python
"""`make bench`: each figure beside the obvious alternative and the limit, measured in the same run.

Prints a table and writes bench/results.json, a list of rows
``{"name", "value", "unit", "baseline", "limit", "ratio", "notes"}`` (see README, "Benchmarks").

Where it runs: PostgreSQL when DATABASE_URL is set (the bench creates a database ``bench_<pid>`` on
that server and drops it at the end), else a fresh SQLite file under var/bench/; Redis as the
Celery broker when REDIS_URL is set (keys under a ``bench-<pid>:`` prefix, deleted at the end), else
the embedded filesystem broker under var/bench/. Everything is on loopback: the JobMojito sandbox is
served from a thread of this process, the Celery worker and gunicorn are child processes.

    BENCH_ONLY=bulk,webhooks,lists,reconcile,apply   run some parts only
    BENCH_RESULTS=path                                write the rows there instead of bench/results.json
    BENCH_BULK_ROWS / BENCH_NAIVE_ROWS / BENCH_WEBHOOKS / BENCH_LIST_LARGE / BENCH_RECONCILE_ROWS
                                                      smaller sizes while developing
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
BENCH_DIR = BASE / "var" / "bench" / str(os.getpid())  # one folder per run: two runs never share one
TOKEN = "bench-token"
PARTS = ("bulk", "webhooks", "lists", "reconcile", "apply")


class Setup:
    """The database and broker of this run, made before Django starts and removed at the end."""

    def __init__(self):
        self.pid = os.getpid()
        self.pg_admin_url = None
        self.pg_name = None
        self.redis_url = os.environ.get("REDIS_URL", "").strip()
        self.redis_prefix = f"bench-{self.pid}:"

    def prepare(self) -> None:
        shutil.rmtree(BENCH_DIR, ignore_errors=True)
        BENCH_DIR.mkdir(parents=True)
        os.environ["BENCH_DIR"] = str(BENCH_DIR)
        url = os.environ.get("DATABASE_URL", "").strip()
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg

            self.pg_name = f"bench_{self.pid}"
            parts = urlsplit(url)
            self.pg_admin_url = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.pg_name}"))
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
        if self.redis_url:
            os.environ["CELERY_BROKER_KEY_PREFIX"] = self.redis_prefix
        else:
            os.environ.pop("REDIS_URL", None)
            os.environ["CELERY_BROKER_DIR"] = str(BENCH_DIR / "broker")  # never the demo's var/celery-broker

    def describe(self) -> str:
        database = f"PostgreSQL (database {self.pg_name})" if self.pg_name else "SQLite (file under var/bench/)"
        broker = f"Redis (keys under {self.redis_prefix})" if self.redis_url else "the embedded filesystem broker"
        return f"{database} + {broker}"

    def cleanup(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.pg_name:
            import psycopg

            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        if self.redis_url:
            import redis

            client = redis.Redis.from_url(self.redis_url)
            keys = list(client.scan_iter(match=self.redis_prefix + "*", count=1000))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start:start + 500])
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(BENCH_DIR, ignore_errors=True)
            try:
                BENCH_DIR.parent.rmdir()  # var/bench/, unless another run is using it
            except OSError:
                pass


def print_table(figures, where: str) -> None:
    def cell(value) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
        return str(value)

    header = ("figure", "value", "unit", "baseline", "limit", "ratio")
    rows = [(f.name, cell(f.value), f.unit, cell(f.baseline), cell(f.limit), cell(f.ratio)) for f in figures]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\nBenchmarks on {where}")
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    print()


class Context:
    """What the parts share: the sandbox (and its meter), where this runs."""

    def __init__(self, sandbox, server, meter, where: str):
        self.sandbox, self.server, self.meter, self.where = sandbox, server, meter, where


def main() -> int:
    setup = Setup()
    setup.prepare()
    from bench.common import free_port

    port = free_port()
    import secrets

    from bench.common import PRODUCTION, collect_static

    os.environ.update({
        # Every process of the run (this one, the worker, gunicorn) has the production settings
        # (bench.common.PRODUCTION: DEBUG off), with this run's own secrets.
        **PRODUCTION, "DJANGO_SETTINGS_MODULE": "recruiting.settings",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "MOJITO_WEBHOOK_SECRETS": secrets.token_urlsafe(24),
        "DJANGO_STATIC_ROOT": str(BENCH_DIR / "static"), "DJANGO_MEDIA_ROOT": str(BENCH_DIR / "media"),
        "MOJITO_API_TOKEN": TOKEN, "MOJITO_API_BASE_URL": f"http://127.0.0.1:{port}/functions/v1",
        "MOJITO_READ_TIMEOUT": os.environ.get("MOJITO_READ_TIMEOUT", "5"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    })
    collect_static()  # before this process loads Django: its pages read the manifest too
    import django

    django.setup()
    from django.core.management import call_command

    from bench import bulk, lists, reconcile, webhooks, apply
    from bench.common import Figure, start_sandbox

    only = [p.strip() for p in os.environ.get("BENCH_ONLY", ",".join(PARTS)).split(",") if p.strip()]
    where = setup.describe()
    print(f"make bench: {where}; {os.cpu_count()} CPUs; Python {platform.python_version()}", flush=True)
    figures: list[Figure] = []
    failed = 0
    started = time.perf_counter()
    sandbox = server = None
    try:
        call_command("migrate", verbosity=0)
        sandbox, server, meter = start_sandbox(TOKEN, port)
        ctx = Context(sandbox, server, meter, where)
        modules = {"bulk": bulk, "webhooks": webhooks, "lists": lists, "reconcile": reconcile, "apply": apply}
        for part in only:
            print(f"- {part} ...", flush=True)
            part_started = time.perf_counter()
            try:
                produced = modules[part].run(ctx)
            except Exception as exc:  # one broken part must not hide the others
                failed += 1
                traceback.print_exc()
                produced = [Figure(f"{part}.error", None, "", notes=f"{type(exc).__name__}: {exc}"[:500])]
            for figure in produced:
                print(f"   {figure.name} = {figure.value} {figure.unit}", flush=True)
            figures.extend(produced)
            print(f"  ({time.perf_counter() - part_started:.0f} s)", flush=True)
    finally:
        if server is not None:
            server.stop()
            sandbox.close()
        total = time.perf_counter() - started
        out = Path(os.environ.get("BENCH_RESULTS") or BASE / "bench" / "results.json")
        rows = [f.as_dict() for f in figures]
        rows.append(Figure("bench.total_seconds", round(total, 1), "s", limit=1200, ratio=round(total / 1200, 2),
                           notes=f"{where}; {os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d %H:%M:%S')}").as_dict())
        out.write_text(json.dumps(rows, indent=2) + "\n")
        print_table([Figure(**r) for r in rows], where)
        print(f"Results in {out}")
        setup.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
