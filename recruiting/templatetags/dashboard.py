"""Template helpers of the dashboard's design system: state badges, relative dates, durations.

    {% load dashboard %}
    {% badge interview.status %}              a coloured badge (label from get_FOO_display when given)
    {% badge row.state label=row.get_state_display %}
    {{ result.created_at|when }}               "3 hours ago", exact time on hover (user's time zone)
    {{ seconds|duration }}                     "8 min", "1 h 5 min", "45 s"
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil

from recruiting.selectors.results import ResultState

register = template.Library()

# One colour per state family (UI.md): neutral, info (in progress), good, warn, bad, muted.
BADGE_FAMILIES = {
    "neutral": {"draft", "pending", "queued", "registered", "not_started", "new", "preparing", "hold",
                "validating", "ready", "unknown"},
    "info": {"in_progress", "running", "sending", "processing", "collected", "active_in_progress", "started",
             "invited", "retrying", "shortlist", "shortlisted"},
    "good": {"active", "completed", "done", "scored", "processed", "sent", "accepted", "ai_accept",
             "recruiter_accept", "advance", "advanced", "live", "ok", "succeeded", "passed", "hire"},
    "warn": {"recruiter_action", "needs_review", "duplicate", "partial", "completed_with_errors", "degraded", "invalid", "review",
             "already-applied", "expired", "abandoned"},
    "bad": {"failed", "error", "rejected", "ai_reject", "recruiter_reject", "reject", "down", "deleted",
            "cancelled", "not_hire"},
    "muted": {"archived", "ignored", "skipped", "test"},
}
_FAMILY_OF = {state: family for family, states in BADGE_FAMILIES.items() for state in states}


def badge_family(state) -> str:
    key = str(state or "").strip().lower().replace(" ", "_")
    return _FAMILY_OF.get(key, "neutral")


@register.simple_tag
def badge(state, label=None, family=None):
    """A state badge: ``<span class="badge badge-good">Active</span>``."""
    text = label if label not in (None, "") else (str(state or "—").replace("_", " ").capitalize())
    return format_html('<span class="badge badge-{}">{}</span>', family or badge_family(state), text)


# A result's state as its badge: (the badge's state key, its words; "Failed", short for the list's
# "Failed or abandoned").
_RESULT_BADGES = {ResultState.SCORED: ("done", "Scored"), ResultState.FAILED: ("failed", "Failed"),
                  ResultState.PROCESSING: ("processing", "Processing"),
                  ResultState.COLLECTED: ("collected", "Collected"), ResultState.ARCHIVED: ("archived", "Archived")}
_IN_PROGRESS_BADGE = ("in_progress", ResultState.LABELS[ResultState.IN_PROGRESS])


@register.simple_tag
def state_badge(state):
    """A result's state badge, the same words and colours everywhere a result is shown (a tag, not an
    include: it is drawn once per row of the results lists)."""
    key, label = _RESULT_BADGES.get(state, _IN_PROGRESS_BADGE)
    return badge(key, label=label)


@register.filter
def when(value):
    """Relative time ("3 hours ago" / "in 2 days"), the exact local time in the title; '—' for None."""
    if not value:
        return "—"
    if not isinstance(value, datetime):
        return value
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    exact = date_format(local, "DATETIME_FORMAT")
    now = timezone.now()
    delta = now - value
    if abs(delta) < timedelta(minutes=1):
        text = "just now"
    elif delta > timedelta(days=14) or delta < -timedelta(days=14):
        text = date_format(local, "j M Y")
    elif delta >= timedelta(0):
        text = f"{timesince(value, now, depth=1)} ago"
    else:
        text = f"in {timeuntil(value, now, depth=1)}"
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact, text)


@register.filter
def capped(value, cap):
    """A count that stopped at ``cap`` (see selectors.overview): "1,000+" beyond it."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    if value is None or cap in (None, ""):
        return value
    return f"{intcomma(int(cap))}+" if int(value) > int(cap) else intcomma(int(value))


@register.filter
def duration(seconds):
    """Seconds as people read them: "45 s", "8 min", "1 h 5 min"; '—' for None."""
    if seconds in (None, ""):
        return "—"
    seconds = int(round(float(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, _ = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column header that sorts by ``field`` (toggling direction), keeping the other query parameters."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    descending = current == f"-{field}"
    ascending = current == field
    params["sort"] = field if descending else f"-{field}"
    params.pop("page", None)
    arrow = " ↓" if descending else (" ↑" if ascending else "")
    state = "sorted descending" if descending else ("sorted ascending" if ascending else "")
    return format_html('<a class="sort" href="?{}" title="Sort by {}">{}{}<span class="visually-hidden">{}</span></a>',
                       params.urlencode(), label.lower(), label, arrow, f" ({state})" if state else "")
