"""Dates a recruiter reads (and the sort, date filter, chart and export) are when the attempt happened
at JobMojito, not when this app wrote or last touched its row. seed_demo dates attempts over the last
30 days with the sandbox's ``taken_at``: start, end and created_at move back, updated_at stays new."""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from recruiting.models import InterviewResult
from recruiting.selectors import overview as overview_selectors
from tests.recruiting.conftest import make_candidate, make_interview, make_invitation
from tests.recruiting.views.results.conftest import failed, scored

pytestmark = pytest.mark.django_db


def seeded(name, days_ago, make=scored, **kw):
    """A result taken ``days_ago`` days ago at JobMojito, re-scored there just now, synced just now."""
    now = timezone.now()
    invitation = make_invitation(interview=kw.pop("interview", None) or make_interview(name="Backend"),
                                 candidate=make_candidate(name=name, email=f"{name.lower()}@example.com"))
    taken = now - dt.timedelta(days=days_ago)
    return make(invitation=invitation, remote_created_at=taken, remote_updated_at=now,
                started_at=taken, ended_at=taken + dt.timedelta(minutes=12), **kw)


def names(response):
    return [r.candidate.name for r in response.context["page"].object_list]


def test_the_list_shows_sorts_and_filters_by_when_the_attempt_was_taken(recruiter_client):
    seeded("Recent", 1)
    seeded("Old", 20)
    seeded("Middle", 8)
    response = recruiter_client.get("/results/")
    assert names(response) == ["Recent", "Middle", "Old"]
    table = response.content.decode().split("<table", 1)[1].split("</table>", 1)[0].replace("\xa0", " ")
    assert "just now" not in table and "1 day ago" in table and "1 week ago" in table
    assert re.findall(r"<time[^>]*>([^<]*)<", table)[-1] == timezone.localtime(
        timezone.now() - dt.timedelta(days=20)).strftime("%-d %b %Y")
    assert "Taken" in table and "Updated" not in table
    assert names(recruiter_client.get("/results/?sort=date")) == ["Old", "Middle", "Recent"]
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert names(recruiter_client.get(f"/results/?date_from={since}")) == ["Recent", "Middle"]
    until = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    assert names(recruiter_client.get(f"/results/?date_to={until}")) == ["Middle", "Old"]


def test_the_review_queue_puts_the_attempt_taken_first_on_top(recruiter_client):
    seeded("Recent", 1)
    seeded("Old", 20)
    assert names(recruiter_client.get("/results/?review=pending")) == ["Old", "Recent"]


def test_the_overview_charts_recent_results_and_failed_this_week_use_the_attempt_time(recruiter_client):
    for i, days in enumerate((0, 3, 3, 12, 29)):
        seeded(f"S{days}-{i}", days)
    seeded("Failed recently", 2, make=failed)
    seeded("Failed long ago", 15, make=failed)
    assert InterviewResult.objects.filter(created_at__lt=timezone.now() - dt.timedelta(hours=1)).count() == 0
    per_day = dict(overview_selectors.results_per_day())
    assert sum(1 for n in per_day.values() if n) == 6  # days 0, 2, 3, 12, 15, 29: not one bar for "today"
    assert per_day[timezone.localdate() - dt.timedelta(days=3)] == 2
    response = recruiter_client.get("/")
    assert response.context["counts"].failed_this_week == 1
    assert [r.candidate.name for r in response.context["recent"]][:2] == ["S0-0", "Failed recently"]
    recent_table = response.content.decode().split('id="recent-h"', 1)[1].split("</table>", 1)[0].replace("\xa0", " ")
    assert "S12-3" in recent_table and "1 week ago" in recent_table and ">Taken<" in recent_table
    assert recent_table.count("just now") == 1  # S0, taken today; not every row


def test_the_export_submitted_at_is_when_the_candidate_finished(recruiter_client):
    result = seeded("Old", 20)
    body = b"".join(recruiter_client.get("/results/export.csv").streaming_content).decode("utf-8-sig")
    _, row = list(csv.reader(io.StringIO(body)))
    assert row[8] == timezone.localtime(result.ended_at).strftime("%Y-%m-%d %H:%M")


def test_a_synced_sandbox_attempt_dated_in_the_past_keeps_its_date(sandbox, remote_interview):
    """End to end through the sandbox's ``taken_at`` (what seed_demo does) and the real sync."""
    from recruiting.services import candidates
    from recruiting.services.results import result_sync
    from tests.mojito.sandbox.test_lifecycle_support import in_process_client

    invitation = candidates.candidates_register(interview=remote_interview, email="old@example.com", name="Old")
    when = timezone.now() - dt.timedelta(days=12)
    answer = in_process_client(sandbox).post("/sandbox/api/complete", json={
        "profile_interview_id": invitation.mojito_id, "taken_at": when.isoformat()})
    result = result_sync(mojito_id=answer.json()["interview_result_id"])
    assert abs((result.remote_created_at - when).total_seconds()) < 1
    assert result.remote_updated_at > when + dt.timedelta(days=11)  # JobMojito's update time stays new
