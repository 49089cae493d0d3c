from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from recruiting.selectors.results import ResultState
from recruiting.templatetags.dashboard import badge, badge_family, duration, when


def test_it_colours_each_state_family():
    assert badge_family("active") == "good"
    assert badge_family("failed") == "bad"
    assert badge_family("archived") == "muted"
    assert badge_family("recruiter_action") == "warn"
    assert badge_family("sending") == "info"
    assert badge_family("something new") == "neutral"
    assert badge("active") == '<span class="badge badge-good">Active</span>'
    assert badge("in_progress", label="In progress") == '<span class="badge badge-info">In progress</span>'


def test_it_escapes_badge_labels():
    assert "<script>" not in badge("x", label="<script>")


def test_it_writes_relative_times_with_the_exact_one_on_hover():
    now = timezone.now()
    assert ">just now<" in when(now)
    assert "3 hours ago" in when(now - timedelta(hours=3, minutes=5)).replace("\xa0", " ")
    assert "in 2 days" in when(now + timedelta(days=2, hours=1)).replace("\xa0", " ")
    assert 'title="' in when(now) and 'datetime="' in when(now)
    assert when(None) == "—"


def test_it_formats_durations_for_people():
    assert duration(45) == "45 s"
    assert duration(480) == "8 min"
    assert duration(3900) == "1 h 5 min"
    assert duration(7200) == "2 h"
    assert duration(None) == "—"


def test_sort_links_toggle_and_keep_the_filters(rf):
    request = rf.get("/results/", {"q": "ada", "sort": "-score", "page": "3"})
    html = Template("{% load dashboard %}{% sort_link 'score' 'Score' %}").render(Context({"request": request}))
    assert "sort=score" in html and "q=ada" in html and "page=" not in html and "↓" in html


@pytest.mark.parametrize("state, html", [
    ("scored", '<span class="badge badge-good">Scored</span>'),
    ("failed", '<span class="badge badge-bad">Failed</span>'),
    ("processing", '<span class="badge badge-info">Processing</span>'),
    ("collected", '<span class="badge badge-info">Collected</span>'),
    ("archived", '<span class="badge badge-muted">Archived</span>'),
    ("in_progress", '<span class="badge badge-info">In progress</span>'),
    ("", '<span class="badge badge-info">In progress</span>'),
    (None, '<span class="badge badge-info">In progress</span>'),
])
def test_state_badge_names_every_result_state_as_the_results_area_does(state, html):
    assert Template("{% load dashboard %}{% state_badge state %}").render(Context({"state": state})) == html
    assert {s for s, _ in ResultState.CHOICES} == {"scored", "failed", "processing", "collected", "archived",
                                                   "in_progress"}  # every state has its row above
