"""Reconciliation (recruiting.services.mirror_sync, manage.py sync_results) against a small fake API,
and the sweepers (recruiting.services.sweepers, queued by recruiting.tasks.periodic)."""

import datetime as dt
import io
import json
import uuid
from collections import Counter

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone

from recruiting.models import BulkInvite, BulkInviteRow, Interview, InterviewResult
from recruiting.services import client as client_service
from recruiting.services import mirror_sync as sync
from recruiting.tasks import periodic

T0 = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone.utc)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


class FakeMojito:
    """merchant-result-list, merchant-interview-list, job-interview-details, job-interview-get."""

    def __init__(self):
        self.results: dict[str, dict] = {}
        self.interviews: dict[str, dict] = {}
        self.calls: Counter = Counter()
        self.missing_details: set[str] = set()
        self.clock = T0

    def tick(self) -> str:
        self.clock += dt.timedelta(seconds=30)
        return iso(self.clock)

    def add_interview(self, name="Backend engineer") -> str:
        interview_id = str(uuid.uuid4())
        self.interviews[interview_id] = {"id": interview_id, "name": name, "status": "active", "type": "interview",
                                         "updated_at": self.tick()}
        return interview_id

    def add_result(self, interview_id: str, *, status="active", coach="completed", processing="completed",
                   score=4.5, kind="interview") -> str:
        result_id = str(uuid.uuid4())
        self.results[result_id] = {
            "id": str(uuid.uuid4()), "interview_result_id": result_id, "definition_id": interview_id,
            "profile_interview_id": str(uuid.uuid4()), "candidate_name": f"Cand {len(self.results)}",
            "candidate_email": f"cand{len(self.results)}@example.com", "status": status, "coach_status": coach,
            "processing_status": processing, "score": score, "type": kind, "updated_at": self.tick(),
        }
        return result_id

    def update_result(self, result_id: str, **fields):
        self.results[result_id].update(fields, updated_at=self.tick())

    def details(self, result_id: str) -> dict:
        row = self.results[result_id]
        return {"score": row["score"], "status": row["coach_status"], "ai_analysis_recruiter": "Solid answers.",
                "transcript": [{"id": "q1", "is_answer": False, "question_asked": "Why us?"},
                               {"id": "a1", "is_answer": True, "answer": "Because.", "score": 4}]}

    @staticmethod
    def page(rows, params):
        limit, offset = int(params.get("limit", 50)), int(params.get("offset", 0))
        data = rows[offset:offset + limit]
        return {"data": data, "pagination": {"total": len(rows), "limit": limit, "offset": offset,
                                             "has_more": offset + len(data) < len(rows)}}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        endpoint = request.url.path.rsplit("/", 1)[-1]
        params = dict(request.url.params)
        self.calls[endpoint] += 1
        kind = params.get("type") or "interview"
        if endpoint == "merchant-result-list":
            assert params.get("order_by") == "updated_at_newest"
            rows = sorted((r for r in self.results.values() if r.get("type", "interview") == kind),
                          key=lambda r: r["updated_at"], reverse=True)
            return httpx.Response(200, json=self.page(rows, params))
        if endpoint == "merchant-interview-list":
            rows = sorted((r for r in self.interviews.values() if r.get("type", "interview") == kind),
                          key=lambda r: r["updated_at"], reverse=True)
            return httpx.Response(200, json=self.page(rows, params))
        if endpoint == "job-interview-details":
            result_id = params["interview_result_id"]
            if result_id not in self.results or result_id in self.missing_details:
                return httpx.Response(404, json={"error": "Not found"})
            return httpx.Response(200, json=self.details(result_id))
        if endpoint == "job-interview-get":
            interview = self.interviews[params["position_id"]]
            return httpx.Response(200, json={**interview, "questions": [{"question": "Why us?"}]})
        return httpx.Response(404, json={"error": f"unknown endpoint {endpoint}"})


@pytest.fixture
def fake():
    api = FakeMojito()
    client_service.use_transport(httpx.MockTransport(api))
    yield api
    client_service.reset_client()


def snapshot():
    return {r.mojito_id: (r.synced_at, r.state_rank, r.score, r.remote_updated_at) for r in InterviewResult.objects.all()}


@pytest.mark.django_db
def test_first_run_creates_everything_and_second_run_changes_nothing(fake):
    interview = fake.add_interview()
    ids = [fake.add_result(interview) for _ in range(7)]
    report = sync.reconcile_all()
    assert report.results_created == 7 and report.detail_fetches == 7 and not report.errors
    assert report.interviews_created == 1
    assert set(InterviewResult.objects.values_list("mojito_id", flat=True)) == set(ids)
    result = InterviewResult.objects.get(mojito_id=ids[0])
    assert result.interview.mojito_id == interview and result.transcript_rows.count() == 2
    assert Interview.objects.get(mojito_id=interview).questions.count() == 1

    before = snapshot()
    fake.calls.clear()
    again = sync.reconcile_all()
    assert again.detail_fetches == 0 and again.interview_fetches == 0
    assert again.results_created == again.results_updated == 0
    assert fake.calls["job-interview-details"] == 0 and fake.calls["job-interview-get"] == 0
    assert snapshot() == before


@pytest.mark.django_db
def test_heals_lost_webhooks_and_updates(fake):
    interview = fake.add_interview()
    ids = [fake.add_result(interview, status="draft", coach="completed", processing="new", score=None)
           for _ in range(12)]
    sync.reconcile_all()
    InterviewResult.objects.filter(mojito_id__in=ids[:10]).delete()  # ten webhooks "never arrived"
    fake.update_result(ids[11], status="active", processing_status="completed", score=7.0)
    fake.calls.clear()
    report = sync.reconcile_all()
    assert report.results_created == 10
    assert report.results_updated == 1
    assert report.detail_fetches == 11
    assert InterviewResult.objects.count() == 12
    assert InterviewResult.objects.get(mojito_id=ids[11]).score == 7.0
    assert sync.reconcile_all().detail_fetches == 0


@pytest.mark.django_db
def test_watermark_stops_paging_early(fake):
    interview = fake.add_interview()
    for _ in range(250):
        fake.add_result(interview)
    sync.results_reconcile(page_size=100)
    fake.calls.clear()
    fake.clock += dt.timedelta(hours=2)
    fresh = fake.add_result(interview)
    report = sync.results_reconcile(page_size=100)
    assert fake.calls["merchant-result-list"] == 2  # stopped inside the first page (interview + assessment)
    assert report.detail_fetches == 1 and report.results_created == 1
    assert InterviewResult.objects.filter(mojito_id=fresh).exists()


@pytest.mark.django_db
def test_full_run_walks_everything_but_fetches_nothing_unchanged(fake):
    interview = fake.add_interview()
    for _ in range(5):
        fake.add_result(interview)
    sync.reconcile_all()
    report = sync.reconcile_all(full=True)
    assert report.results_seen == 5 and report.detail_fetches == 0


@pytest.mark.django_db
def test_reset_result_from_the_api_is_applied(fake):
    """Another attempt requested elsewhere: JobMojito's newer, lower-ranked state wins over ours."""
    interview = fake.add_interview()
    result_id = fake.add_result(interview)
    sync.reconcile_all()
    assert InterviewResult.objects.get(mojito_id=result_id).status == "active"
    fake.update_result(result_id, status="draft", coach_status="ongoing", processing_status="new", score=None)
    sync.reconcile_all()
    stored = InterviewResult.objects.get(mojito_id=result_id)
    assert stored.status == "draft" and stored.coach_status == "ongoing"
    assert sync.reconcile_all().detail_fetches == 0


@pytest.mark.django_db
def test_a_failing_result_is_reported_and_others_still_sync(fake):
    interview = fake.add_interview()
    good = fake.add_result(interview)
    bad = fake.add_result(interview)
    fake.missing_details.add(bad)
    report = sync.results_reconcile()
    assert InterviewResult.objects.filter(mojito_id=good).exists()
    assert len(report.errors) == 1 and bad in report.errors[0]


@pytest.mark.django_db
def test_pre_screening_rows_without_a_result_are_skipped(fake):
    interview = fake.add_interview()
    result_id = fake.add_result(interview)
    fake.results[result_id]["interview_result_id"] = None
    report = sync.results_reconcile()
    assert report.detail_fetches == 0 and not InterviewResult.objects.exists()


@pytest.mark.django_db
def test_sync_results_command_prints_counts(fake):
    interview = fake.add_interview()
    fake.add_result(interview)
    out = io.StringIO()
    call_command("sync_results", stdout=out)
    text = out.getvalue()
    assert "1 details fetched, 1 new" in text and "Interviews: 1 listed, 1 fetched, 1 new" in text
    out = io.StringIO()
    call_command("sync_results", stdout=out)
    assert "0 details fetched, 0 new, 0 updated" in out.getvalue()


@pytest.mark.django_db
def test_reconcile_task_returns_the_report(fake):
    from recruiting.tasks.periodic import results_reconcile_task

    fake.add_result(fake.add_interview())
    assert results_reconcile_task.run()["results_created"] == 1


def test_beat_schedule_runs_reconcile_every_interval(settings):
    from recruiting.celery import _beat_schedule, app

    settings.RESULT_SYNC_INTERVAL_SECONDS = 123
    import recruiting.tasks  # noqa: F401  (registers the tasks)

    schedule = _beat_schedule()
    assert schedule["reconcile-results"]["schedule"] == 123.0
    assert schedule["reconcile-results"]["task"] in app.tasks
    assert schedule["sweep-stuck-work"]["task"] in app.tasks


def test_worker_registers_every_task_of_the_package_under_its_old_name():
    from recruiting.celery import app

    app.loader.import_default_modules()  # what a worker does at start (autodiscovery)
    names = {"recruiting.tasks.bulk_invite_run", "recruiting.tasks.result_sync_task",
             "recruiting.tasks_periodic.results_reconcile_task", "recruiting.tasks_periodic.sweep_stuck_work",
             "recruiting.webhook_tasks.webhook_process"}
    assert names <= set(app.tasks)


def test_redis_restore_scan_follows_the_visibility_timeout():
    from recruiting.celery import redis_restore_options

    assert redis_restore_options(3600) == {"unacked_restore_interval": 60, "unacked_restore_throttle": 1}
    assert redis_restore_options(4)["unacked_restore_interval"] == 1


# --- sweepers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stuck_bulk_invites_are_requeued(monkeypatch):
    from tests.recruiting.conftest import make_bulk_invite, make_bulk_row

    sent = []
    from recruiting import tasks

    monkeypatch.setattr(tasks.bulk_invite_run, "delay", lambda pk: sent.append(pk))
    stuck = make_bulk_invite(status=BulkInvite.Status.RUNNING)
    make_bulk_row(bulk=stuck, state=BulkInviteRow.State.SENDING)
    busy = make_bulk_invite(status=BulkInvite.Status.RUNNING)
    make_bulk_row(bulk=busy, state=BulkInviteRow.State.PENDING)
    done = make_bulk_invite(status=BulkInvite.Status.RUNNING)
    make_bulk_row(bulk=done, state=BulkInviteRow.State.SENT)
    old = timezone.now() - dt.timedelta(minutes=30)
    BulkInvite.objects.filter(pk__in=[stuck.pk, done.pk]).update(updated_at=old)
    BulkInviteRow.objects.filter(bulk__in=[stuck, done]).update(updated_at=old)
    assert periodic.bulk_invites_requeue_stuck() == [stuck.pk]
    assert sent == [stuck.pk]


@pytest.mark.django_db
def test_pending_webhook_deliveries_are_requeued(monkeypatch):
    from mojito.models import WebhookDelivery

    handed = []
    monkeypatch.setattr("recruiting.tasks.webhooks.webhook_process.delay", lambda pk: handed.append(pk))
    lost = WebhookDelivery.objects.create(event="interview_result", result_mojito_id="r1", dedup_key="a", body="{}")
    WebhookDelivery.objects.create(event="interview_result", result_mojito_id="r2", dedup_key="b", body="{}")
    WebhookDelivery.objects.filter(pk=lost.pk).update(received_at=timezone.now() - dt.timedelta(hours=1))
    assert periodic.webhook_deliveries_requeue_pending() == [lost.pk]
    assert handed == [lost.pk]


def test_broker_key_prefix_from_the_environment(monkeypatch):
    from recruiting.celery import _configure

    class Conf:
        beat_schedule = {}
        broker_url = "redis://127.0.0.1:6379/0"
        broker_transport_options = {"visibility_timeout": 60}

    class Sender:
        conf = Conf()

    monkeypatch.setenv("CELERY_BROKER_KEY_PREFIX", "staging:")
    _configure(Sender())
    assert Sender.conf.broker_transport_options == {
        "visibility_timeout": 60, "unacked_restore_interval": 10, "unacked_restore_throttle": 1,
        "global_keyprefix": "staging:"}
    assert "reconcile-results" in Sender.conf.beat_schedule


@pytest.mark.django_db
def test_bulk_invite_whose_message_was_lost_completes_after_the_sweep(sandbox, monkeypatch):
    """reliability.md 3.3.7: the publish after commit never happened; the sweeper re-enqueues it."""
    from recruiting.services.candidates import bulk_invite_create_from_csv
    from recruiting.services.interviews import interview_create_from_questions
    from recruiting.tasks import bulk_invite_run

    template = next(t for t in sandbox.client().list_avatars().data if t.get("type") == "interactive_heygen")
    interview = interview_create_from_questions(
        name="Sweep", location="Remote", interview_template_id=template["id"], description="d",
        questions=["Why?"], status="active")
    csv = "email\n" + "\n".join(f"sweep{i}@example.com" for i in range(7))
    bulk = bulk_invite_create_from_csv(interview=interview, csv_file=csv.encode())  # message "lost": never sent
    old = timezone.now() - dt.timedelta(minutes=30)
    BulkInvite.objects.filter(pk=bulk.pk).update(updated_at=old)
    BulkInviteRow.objects.filter(bulk=bulk).update(updated_at=old)
    monkeypatch.setattr(bulk_invite_run, "delay", lambda pk: bulk_invite_run.apply(args=[pk]))

    from recruiting.tasks.periodic import sweep_stuck_work

    assert sweep_stuck_work.run()["bulk_invites"] == [bulk.pk]
    bulk.refresh_from_db()
    assert (bulk.status, bulk.sent_count) == (BulkInvite.Status.COMPLETED, 7)
    assert periodic.bulk_invites_requeue_stuck() == []


@pytest.mark.django_db
def test_assessment_results_are_reconciled_too(fake):
    interview = fake.add_interview()
    result_id = fake.add_result(interview, kind="assessment")
    report = sync.results_reconcile()
    assert report.results_created == 1
    assert InterviewResult.objects.filter(mojito_id=result_id).exists()


@pytest.mark.django_db
def test_old_processed_deliveries_are_purged_pending_and_failed_kept():
    from mojito.models import WebhookDelivery

    from recruiting.tasks.periodic import webhook_deliveries_purge_task

    for state in ("processed", "ignored", "pending", "failed"):
        WebhookDelivery.objects.create(event="interview_result", result_mojito_id="r", dedup_key=state,
                                       body="{}", state=state)
    recent = WebhookDelivery.objects.create(event="interview_result", result_mojito_id="r", dedup_key="new",
                                            body="{}", state="processed")
    WebhookDelivery.objects.exclude(pk=recent.pk).update(received_at=timezone.now() - dt.timedelta(days=40))
    assert webhook_deliveries_purge_task.run() == 2
    assert set(WebhookDelivery.objects.values_list("dedup_key", flat=True)) == {"pending", "failed", "new"}



def test_a_full_reconcile_runs_daily_and_the_task_has_time_for_it():
    from recruiting.celery import _beat_schedule
    from recruiting.tasks.periodic import results_reconcile_task

    full = _beat_schedule()["reconcile-results-full"]
    assert full["kwargs"] == {"full": True} and full["schedule"] == 86400.0
    assert results_reconcile_task.soft_time_limit >= 600


@pytest.mark.django_db
def test_against_the_sandbox_heals_and_second_run_fetches_nothing(sandbox):
    from mojito.sandbox import lifecycle
    from recruiting.services.candidates import candidates_register
    from recruiting.services.interviews import interview_create_from_questions

    template = next(t for t in sandbox.client().list_avatars().data if t.get("type") == "interactive_heygen")
    interview = interview_create_from_questions(
        name="Heal", location="Remote", interview_template_id=template["id"], description="d",
        questions=["Why?", "How?"], status="active")
    result_ids = []
    for i, outcome in enumerate(("submit", "submit", "abandon")):
        invitation = candidates_register(interview=interview, email=f"heal{i}@example.com", name=f"Heal {i}")
        result_ids.append(sandbox.complete(invitation.mojito_id, outcome))
    for result_id in result_ids[:2]:
        lifecycle.wait_processing(sandbox, result_id)

    first = sync.reconcile_all()
    assert first.results_created == 3 and not first.errors
    stored = {r.mojito_id: r for r in InterviewResult.objects.all()}
    assert stored[result_ids[0]].status == "active" and stored[result_ids[0]].transcript_rows.exists()
    assert stored[result_ids[0]].invitation.candidate.email == "heal0@example.com"
    assert stored[result_ids[2]].coach_status == "abandoned"

    before = snapshot()
    second = sync.reconcile_all()
    assert (second.detail_fetches, second.interview_fetches, second.results_updated) == (0, 0, 0)
    assert snapshot() == before
