"""End to end with a REAL Celery worker process on Redis, and a sandbox served over HTTP.

The worker (``celery -A recruiting worker --pool prefork``) runs as a subprocess against the same
database as the test (committed rows: ``transaction=True``) and reaches the sandbox server that
runs in a thread of this process. Our Redis keys carry a per-session prefix, so sessions sharing
the database stay apart. Needs a Redis server (``TEST_REDIS_URL``, default
``redis://127.0.0.1:6379/15``; skipped only when none answers) and a database a second process can
open (PostgreSQL, or a file SQLite test database; in-memory SQLite is skipped).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True),
              pytest.mark.timeout(180)]

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
VISIBILITY_TIMEOUT = 4
TOKEN = "e2e-sandbox-token"
# Our own key prefix in the shared Redis database: another test session (or a developer's worker)
# on the same database neither takes our messages nor loses its own when we clean up.
KEY_PREFIX = f"e2e-{uuid.uuid4().hex[:10]}:"


# --- infrastructure -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url():
    import redis

    from tests.support.redis import require_redis

    require_redis(REDIS_URL)  # in CI a Redis that does not answer fails the test; elsewhere it skips
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=5)

    def clean():
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}*", count=500))
        if keys:
            client.delete(*keys)

    clean()
    yield REDIS_URL
    clean()
    client.close()


def worker_database_url() -> str:
    """The test database as a URL a second process can open (skips when it cannot)."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(s.get("USER") or "", safe="")
        if s.get("PASSWORD"):
            auth += ":" + quote(s["PASSWORD"], safe="")
        host = s.get("HOST") or "127.0.0.1"
        port = f":{s['PORT']}" if s.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{s['NAME']}"
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
            message = ("The worker needs a database another process can open: run with DATABASE_URL "
                       "(PostgreSQL, as CI does) or a file SQLite test database.")
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        return f"sqlite:///{name}"
    pytest.skip(f"Unsupported database vendor {connection.vendor} for the worker test.")


@pytest.fixture
def sandbox_server(settings):
    """A fresh sandbox served over HTTP in a thread; this process's client talks to it in-process."""
    from mojito.sandbox import Sandbox
    from mojito.sandbox.server import serve_in_thread
    from recruiting.services import client as client_service

    sandbox = Sandbox(tokens=[TOKEN, settings.MOJITO_API_TOKEN])
    server = serve_in_thread(sandbox)
    register_calls: Counter = Counter()
    inner = sandbox.app

    def counting_app(environ, start_response):
        if environ.get("PATH_INFO", "").endswith("/job-interview-register-users"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            try:
                for user in json.loads(body or b"{}").get("users") or []:
                    register_calls[(user.get("email") or "").strip().lower()] += 1
            except ValueError:
                pass
        return inner(environ, start_response)

    sandbox.app = counting_app
    sandbox.register_calls = register_calls
    client_service.use_transport(sandbox.transport())
    try:
        yield sandbox, server
    finally:
        client_service.reset_client()
        server.stop()
        sandbox.close()


class Worker:
    def __init__(self, env: dict, log_path: Path):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        command = [sys.executable, "-m", "celery", "-A", "recruiting", "worker", "--pool", "prefork",
                   "--concurrency", "2", "-Q", "celery", "--loglevel", "INFO", "-O", "fair",
                   "-n", f"e2e-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle",
                   "--without-heartbeat"]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 45) -> "Worker":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return self
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.output()[-4000:]}")
            time.sleep(0.2)
        raise AssertionError(f"worker not ready after {timeout}s:\n{self.output()[-4000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group (main process and pool children), as an OOM killer would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def start_worker(redis_url, sandbox_server, tmp_path):
    """Factory: start a worker subprocess (ready to consume) for this test's database and sandbox."""
    _, server = sandbox_server
    workers: list[Worker] = []

    def start(**extra_env) -> Worker:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "recruiting.settings",
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": redis_url,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_BROKER_KEY_PREFIX": KEY_PREFIX,
            "MOJITO_API_BASE_URL": f"{server.url}/functions/v1",
            "MOJITO_API_TOKEN": TOKEN,
            "MOJITO_MAX_ATTEMPTS": "2",
            "PYTHONUNBUFFERED": "1",
        })
        env.update({k: str(v) for k, v in extra_env.items()})
        worker = Worker(env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker.wait_ready()

    with publishing_to(redis_url):
        yield start
    for worker in workers:
        worker.stop()


@contextmanager
def publishing_to(url: str):
    """Make this process's Celery app publish to ``url`` (tests default to the filesystem broker)."""
    from recruiting.celery import app

    def reset():  # drop the cached pools (kombu keeps one open pool per broker URL)
        from kombu import pools

        app._pool = None
        pools.reset()  # kombu's global producer/connection pools: none may outlive this broker switch
        try:
            app.__dict__["amqp"]._producer_pool = None
        except (KeyError, AttributeError):
            pass

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url = url
    app.conf.broker_transport_options = {"visibility_timeout": VISIBILITY_TIMEOUT, "global_keyprefix": KEY_PREFIX}
    reset()
    try:
        yield
    finally:
        reset()
        app.conf.broker_url, app.conf.broker_transport_options = saved


def wait_for(predicate, timeout: float, message: str, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")


# --- domain helpers -----------------------------------------------------------------------------


def make_interview(sandbox):
    from recruiting.services.interviews import interview_create_from_questions

    template = next(t for t in sandbox.client().list_avatars().data
                    if t.get("type") in ("interactive_heygen", "interactive_elevenlabs"))
    return interview_create_from_questions(
        name=f"E2E engineer {uuid.uuid4().hex[:6]}", location="Remote", interview_template_id=template["id"],
        description="Keep the lights on.", questions=["Why this role?", "A hard bug you fixed?"], status="active")


def csv_of(count: int, prefix: str) -> bytes:
    lines = ["name,email,external_id"] + [f"Person {i},{prefix}{i}@example.com,EXT-{i}" for i in range(count)]
    return ("\n".join(lines) + "\n").encode()


def enrolments_per_email(sandbox, interview_mojito_id: str) -> Counter:
    state = sandbox.state
    with state.lock:
        emails = {pid: p.get("email") for pid, p in state.profiles.items()}
        return Counter(emails.get(e.get("profile_id")) for e in state.enrolments.values()
                       if e.get("interview_id") == interview_mojito_id)


def row_states(bulk_id: int) -> Counter:
    from recruiting.models import BulkInviteRow

    return Counter(BulkInviteRow.objects.filter(bulk_id=bulk_id).values_list("state", flat=True))


# --- tests --------------------------------------------------------------------------------------


def test_bulk_invite_committed_in_a_transaction_runs_in_the_worker(sandbox_server, start_worker):
    from recruiting.models import BulkInvite
    from recruiting.services.candidates import bulk_invite_create_from_csv
    from recruiting.tasks import bulk_invite_run, enqueue

    sandbox, _ = sandbox_server
    interview = make_interview(sandbox)
    start_worker()
    with transaction.atomic():
        bulk = bulk_invite_create_from_csv(interview=interview, csv_file=csv_of(30, "ok") + b"Bad,not-an-email,\n")
        enqueue(bulk_invite_run, bulk.pk)

    wait_for(lambda: BulkInvite.objects.get(pk=bulk.pk).finished_at, 60, "the bulk invite did not finish")
    states = row_states(bulk.pk)
    assert states == Counter({"sent": 30, "invalid": 1})
    bulk.refresh_from_db()
    assert (bulk.status, bulk.sent_count, bulk.invalid_count) == (BulkInvite.Status.COMPLETED_WITH_ERRORS, 30, 1)
    per_email = enrolments_per_email(sandbox, interview.mojito_id)
    assert len(per_email) == 30 and set(per_email.values()) == {1}


def test_task_enqueued_in_a_rolled_back_transaction_never_runs(sandbox_server, start_worker, redis_url):
    import redis

    from recruiting.models import BulkInvite
    from recruiting.services.candidates import bulk_invite_create_from_csv
    from recruiting.tasks import bulk_invite_run, enqueue

    sandbox, _ = sandbox_server
    interview = make_interview(sandbox)
    start_worker()

    class Abort(Exception):
        pass

    with pytest.raises(Abort):
        with transaction.atomic():
            bulk = bulk_invite_create_from_csv(interview=interview, csv_file=csv_of(5, "rollback"))
            enqueue(bulk_invite_run, bulk.pk)
            raise Abort()

    time.sleep(3)
    assert not BulkInvite.objects.exists()
    assert sum(sandbox.register_calls.values()) == 0
    assert enrolments_per_email(sandbox, interview.mojito_id) == Counter()
    assert redis.Redis.from_url(redis_url).llen(f"{KEY_PREFIX}celery") == 0


def test_worker_killed_mid_bulk_job_every_row_sent_once(sandbox_server, start_worker):
    from recruiting.models import BulkInvite
    from recruiting.services.candidates import bulk_invite_create_from_csv
    from recruiting.tasks import bulk_invite_run, enqueue

    sandbox, _ = sandbox_server
    sandbox.state.config.row_latency_ms = 100  # a chunk of 5 takes ~0.5 s: the job takes seconds
    interview = make_interview(sandbox)
    rows = 40
    first = start_worker(MOJITO_BULK_CHUNK_SIZE=5, MOJITO_BULK_CONCURRENCY=1)
    with transaction.atomic():
        bulk = bulk_invite_create_from_csv(interview=interview, csv_file=csv_of(rows, "kill"))
        enqueue(bulk_invite_run, bulk.pk)

    wait_for(lambda: row_states(bulk.pk)["sent"] >= 10, 30, "the first worker never got going")
    first.kill()
    before = row_states(bulk.pk)
    assert before["sent"] < rows, "the job finished before the kill; raise the row latency"

    start_worker(MOJITO_BULK_CHUNK_SIZE=5, MOJITO_BULK_CONCURRENCY=1)
    wait_for(lambda: BulkInvite.objects.get(pk=bulk.pk).finished_at, 90,
             f"the bulk invite was not resumed after the kill (rows before: {dict(before)})")
    assert row_states(bulk.pk) == Counter({"sent": rows})
    per_email = enrolments_per_email(sandbox, interview.mojito_id)
    assert len(per_email) == rows and set(per_email.values()) == {1}, "a registration was duplicated"
    # Only the chunk in flight at the kill may have been sent twice (register-users upserts by email).
    resent = [email for email, n in sandbox.register_calls.items() if n > 1]
    assert len(resent) <= 5, resent


def test_reconcile_in_the_worker_heals_lost_webhooks_and_is_idempotent(sandbox_server, start_worker):
    from mojito.models import ApiCall
    from mojito.sandbox import lifecycle
    from recruiting.models import InterviewResult
    from recruiting.services.candidates import candidates_register
    from recruiting.tasks.periodic import results_reconcile_task

    sandbox, _ = sandbox_server
    interview = make_interview(sandbox)
    result_ids = []
    for i in range(3):
        invitation = candidates_register(interview=interview, email=f"heal{i}@example.com", name=f"Heal {i}")
        result_ids.append(sandbox.complete(invitation.mojito_id, "submit" if i < 2 else "abandon"))
    for result_id in result_ids[:2]:
        lifecycle.wait_processing(sandbox, result_id)
    # No webhook URL is configured: none of these results was ever announced to the app.
    assert not InterviewResult.objects.exists()

    start_worker()
    results_reconcile_task.delay()
    # The list rows land first, their details right after (same task): wait for both.
    wait_for(lambda: InterviewResult.objects.filter(mojito_id__in=result_ids, details_pending=False).count() == 3, 60,
             "reconcile did not bring the results in")
    submitted = InterviewResult.objects.filter(mojito_id__in=result_ids[:2])
    assert set(submitted.values_list("status", "processing_status")) == {("active", "completed")}
    assert InterviewResult.objects.get(mojito_id=result_ids[2]).coach_status == "abandoned"

    def reconcile_runs_logged():
        return ApiCall.objects.filter(endpoint="merchant-result-list").count()

    details_before = ApiCall.objects.filter(endpoint="job-interview-details").count()
    snapshot = list(InterviewResult.objects.order_by("pk").values_list("pk", "synced_at", "state_rank"))
    lists_before = reconcile_runs_logged()
    results_reconcile_task.delay()
    wait_for(lambda: reconcile_runs_logged() > lists_before, 30, "the second reconcile did not run")
    time.sleep(1)
    assert ApiCall.objects.filter(endpoint="job-interview-details").count() == details_before
    assert list(InterviewResult.objects.order_by("pk").values_list("pk", "synced_at", "state_rank")) == snapshot


def test_webhook_delivery_is_processed_by_the_worker(sandbox_server, start_worker, client):
    from mojito.models import WebhookDelivery
    from mojito.sandbox import lifecycle
    from recruiting.models import InterviewResult
    from recruiting.services.candidates import candidates_register

    sandbox, _ = sandbox_server
    interview = make_interview(sandbox)
    invitation = candidates_register(interview=interview, email="hook@example.com", name="Hook")
    result_id = sandbox.complete(invitation.mojito_id, "submit")
    lifecycle.wait_processing(sandbox, result_id)
    payload = next(d["payload"] for d in sandbox.state.webhook_deliveries if d["event"] == "interview_result")

    start_worker()
    response = client.post("/mojito/webhooks/", data=json.dumps(payload), content_type="application/json",
                           headers={settings.MOJITO_WEBHOOK_HEADER: settings.MOJITO_WEBHOOK_SECRETS[0]})
    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).state == "processed", 30,
             "the worker did not process the delivery")
    result = InterviewResult.objects.get(mojito_id=result_id)
    assert (result.status, result.processing_status) == ("active", "completed")


def test_a_burst_of_webhooks_handed_over_in_batches_is_processed_once_each(sandbox_server, start_worker, client,
                                                                           settings):
    """The production hand-over (WEBHOOK_QUEUE_WINDOW_SECONDS > 0): the view only stores; its
    process asks the worker, in a batch, to queue the deliveries; each result is fetched once."""
    from mojito.models import WebhookDelivery
    from mojito.sandbox import lifecycle
    from recruiting.models import InterviewResult
    from recruiting.services.candidates import candidates_register

    settings.WEBHOOK_QUEUE_WINDOW_SECONDS = 0.1
    sandbox, _ = sandbox_server
    interview = make_interview(sandbox)
    ids = []
    for i in range(6):
        invitation = candidates_register(interview=interview, email=f"burst{i}@example.com", name=f"Burst {i}")
        ids.append(sandbox.complete(invitation.mojito_id, "submit"))
        lifecycle.wait_processing(sandbox, ids[-1])
    payloads = [d["payload"] for d in sandbox.state.webhook_deliveries if d["event"] == "interview_result"]
    assert len(payloads) == 6
    start_worker()
    sandbox.state.api_calls.clear()
    headers = {settings.MOJITO_WEBHOOK_HEADER: settings.MOJITO_WEBHOOK_SECRETS[0]}
    for payload in payloads + payloads[:2]:  # two exact re-deliveries
        assert client.post("/mojito/webhooks/", data=json.dumps(payload), content_type="application/json",
                           headers=headers).status_code in (200, 202)
    wait_for(lambda: not WebhookDelivery.objects.exclude(state="processed").exists(), 30,
             "the worker did not process every delivery")
    assert WebhookDelivery.objects.count() == 6 and not WebhookDelivery.objects.filter(queued_at=None).exists()
    assert InterviewResult.objects.filter(mojito_id__in=ids, processing_status="completed").count() == 6
    # each of the six stored, so each processed at least once; six fetches in all: once each
    assert sum(1 for c in sandbox.state.api_calls if c["endpoint"] == "job-interview-details") == 6
