"""manage.py seed_demo: refuses a real server, builds the demo through the client against the sandbox."""

import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from recruiting.management.commands import seed_demo

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def served_sandbox(settings, tmp_path):
    """A sandbox over HTTP on a free port, with this process's client pointed at it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from mojito.sandbox import Sandbox
    from mojito.sandbox.server import serve_in_thread
    from recruiting.services import client as client_service

    sandbox = Sandbox(tokens=["sandbox-token", settings.MOJITO_API_TOKEN])
    server = serve_in_thread(sandbox)
    settings.MOJITO_API_BASE_URL = f"{server.url}/functions/v1"
    client_service.reset_client()
    try:
        yield sandbox, server
    finally:
        client_service.reset_client()
        server.stop()
        sandbox.close()


@pytest.fixture
def not_a_sandbox(settings):
    """An HTTP server that answers the ping, but not as a sandbox."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = json.dumps({"sandbox": False}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MOJITO_API_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}/functions/v1"
    yield server
    server.shutdown()
    server.server_close()


def test_origin_of_the_api_base_url():
    assert seed_demo.api_origin("https://cool.jobmojito.com/functions/v1") == "https://cool.jobmojito.com"
    assert seed_demo.api_origin("http://127.0.0.1:8765/functions/v1") == "http://127.0.0.1:8765"


@pytest.mark.django_db
def test_refuses_a_server_that_is_not_a_sandbox(not_a_sandbox):
    from mojito.models import ApiCall

    with pytest.raises(CommandError, match="not a JobMojito sandbox.*--allow-real"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not ApiCall.objects.exists()


@pytest.mark.django_db
def test_refuses_an_unreachable_server(settings):
    settings.MOJITO_API_BASE_URL = "http://127.0.0.1:9/functions/v1"
    with pytest.raises(CommandError, match="not a JobMojito sandbox"):
        call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_people_have_real_looking_unique_names_and_emails():
    from recruiting.management import demo_data

    people = [demo_data.person(i) for i in range(len(demo_data.NAMES))]
    assert len(people) == 60 and len({p["email"] for p in people}) == 60
    assert demo_data.email_of("Chloé Martin") == "chloe.martin@example.com"
    assert all("[" not in p["name"] and "demo" not in p["email"] for p in people)
    text = demo_data.csv_bytes(people[:2], ("Typo Row,typo(at)example.com,X",)).decode()
    assert text.splitlines() == ["name,email,external_id", "Ana Souza,ana.souza@example.com,ATS-1041",
                                 "Tom Becker,tom.becker@example.com,ATS-1042", "Typo Row,typo(at)example.com,X"]
    assert sorted({demo_data.days_ago(i) for i in range(1, 31)}) == list(range(30))


@pytest.mark.django_db
def test_builds_the_demo_in_process(served_sandbox):
    from recruiting.models import (
        BulkInvite,
        BulkInviteRow,
        Candidate,
        Interview,
        InterviewResult,
        Invitation,
        KnowledgeDocument,
        PreScreening,
    )

    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "every [CORE] endpoint exercised" in text and "Demo ready." in text
    assert set(Interview.objects.values_list("creation_method", flat=True)) >= {
        "from_description", "from_questions", "for_candidate"}
    assert Interview.objects.count() >= 4
    assert set(Interview.objects.values_list("status", flat=True)) >= {"active", "draft", "archived"}
    assert not Interview.objects.filter(name__contains="[").exists()
    assert Interview.objects.exclude(embed_id="").exists()
    assert Candidate.objects.count() >= 60
    assert set(Invitation.objects.values_list("delivery_state", flat=True)) >= {"registered", "invited", "failed"}
    assert set(BulkInvite.objects.values_list("status", flat=True)) == {"completed", "completed_with_errors", "preview"}
    assert set(BulkInviteRow.objects.values_list("state", flat=True)) == {
        "sent", "failed", "invalid", "duplicate", "pending"}
    sent = BulkInviteRow.objects.filter(state="sent").count()
    assert InterviewResult.objects.filter(status="active", processing_status="completed").count() >= 20
    assert InterviewResult.objects.filter(coach_status="abandoned").count() == 3
    assert InterviewResult.objects.filter(coach_status__in=["started", "ongoing"]).count() >= 1  # in progress
    days = {r.started_at.date() for r in InterviewResult.objects.exclude(started_at=None)}
    assert len(days) >= 15
    assert min(days) >= (timezone.now() - dt.timedelta(days=31)).date()
    assert PreScreening.objects.filter(source="text").exists() and PreScreening.objects.filter(source="file").exists()
    assert KnowledgeDocument.objects.count() == 1
    assert InterviewResult.objects.exclude(report="").count() == 1

    # Again: the same demo, nothing made twice.
    counts = (Interview.objects.count(), Candidate.objects.count(), BulkInvite.objects.count(),
              InterviewResult.objects.count(), KnowledgeDocument.objects.count())
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    assert "exists already" in out.getvalue() and "Demo ready." in out.getvalue()
    assert (Interview.objects.count(), Candidate.objects.count(), BulkInvite.objects.count(),
            InterviewResult.objects.count(), KnowledgeDocument.objects.count()) == counts
    assert BulkInviteRow.objects.filter(state="sent").count() == sent


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_over_http_in_a_subprocess(tmp_path):
    """The real thing: `manage.py migrate` + `manage.py seed_demo` in their own processes, on a file
    database, against a sandbox server; then the counts are read from that database."""
    from mojito.sandbox import Sandbox
    from mojito.sandbox.server import serve_in_thread

    sandbox = Sandbox(tokens=["demo-token"])
    server = serve_in_thread(sandbox)
    db_path = tmp_path / "demo.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update({"DJANGO_SETTINGS_MODULE": "recruiting.settings", "DJANGO_DEBUG": "true",
                "DATABASE_URL": f"sqlite:///{db_path}", "MOJITO_API_BASE_URL": f"{server.url}/functions/v1",
                "MOJITO_API_TOKEN": "demo-token", "DJANGO_MEDIA_ROOT": str(tmp_path / "media")})
    env.pop("REDIS_URL", None)
    try:
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            done = subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, capture_output=True,
                                  text=True, timeout=120)
            assert done.returncode == 0, f"{command}: {done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert "every [CORE] endpoint exercised" in done.stdout
    finally:
        server.stop()
        sandbox.close()

    with sqlite3.connect(db_path) as db:
        def count(sql):
            return db.execute(sql).fetchone()[0]

        assert count("SELECT COUNT(DISTINCT creation_method) FROM recruiting_interview "
                     "WHERE creation_method IN ('from_description', 'from_questions', 'for_candidate')") == 3
        assert count("SELECT COUNT(*) FROM recruiting_bulkinviterow WHERE state = 'sent'") >= 50
        assert count("SELECT COUNT(*) FROM recruiting_interviewresult") >= 3
        assert count("SELECT COUNT(*) FROM recruiting_interviewresult WHERE processing_status = 'completed'") >= 2
        assert count("SELECT COUNT(*) FROM recruiting_prescreening") >= 2
        assert count("SELECT COUNT(*) FROM recruiting_knowledgedocument") == 1
        assert count("SELECT COUNT(*) FROM recruiting_interviewresult WHERE report != ''") == 1
        assert count("SELECT COUNT(*) FROM recruiting_position") >= 1


@pytest.mark.django_db
def test_seed_demo_turns_candidate_pages_on(served_sandbox):
    from recruiting.models import CareerPage

    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    pages = CareerPage.objects.filter(enabled=True, interview__status="active").select_related("interview")
    assert pages.count() >= 2
    assert any(p.interview.embed_id for p in pages) and not all(p.interview.embed_id for p in pages)
