"""Reads for the invite page and the bulk-invite ledger: the job list, one job, its rows, its progress,
and what an interview is expected to cost in credits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mojito.credits import interview_credits
from recruiting.models import BulkInvite, BulkInviteRow, Interview

# --- the list ----------------------------------------------------------------------------------


class BulkInviteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search",
                                  widget=forms.TextInput(attrs={"type": "search",
                                                                "placeholder": "Interview or file name"}))
    status = django_filters.ChoiceFilter(choices=BulkInvite.Status.choices, empty_label="Any status")

    class Meta:
        model = BulkInvite
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(interview__name__icontains=value) | Q(source_file_name__icontains=value))


def bulk_invites(params=None) -> BulkInviteFilter:
    """The bulk invites, newest first, filtered by ``params`` (a QueryDict); ``.qs`` is the queryset."""
    queryset = BulkInvite.objects.select_related("interview", "created_by")
    return BulkInviteFilter(params or None, queryset=queryset)


BULK_SORTS = {"created": "created_at", "interview": "interview__name", "total": "total_count",
              "sent": "sent_count", "failed": "failed_count"}


# --- one job -----------------------------------------------------------------------------------


def bulk_invite_get(pk: int) -> BulkInvite:
    return get_object_or_404(BulkInvite.objects.select_related("interview", "interview__template", "created_by"),
                             pk=pk)


ROW_FILTERS = {
    "problems": ("Needs attention", [BulkInviteRow.State.FAILED, BulkInviteRow.State.INVALID,
                                     BulkInviteRow.State.DUPLICATE]),
    "sent": ("Sent", [BulkInviteRow.State.SENT]),
    "failed": ("Failed", [BulkInviteRow.State.FAILED]),
    "invalid": ("Invalid", [BulkInviteRow.State.INVALID]),
    "duplicate": ("Duplicate", [BulkInviteRow.State.DUPLICATE]),
    "remaining": ("Remaining", [BulkInviteRow.State.PENDING, BulkInviteRow.State.SENDING]),
}


def bulk_invite_rows(bulk: BulkInvite, *, show: str = ""):
    """The rows of a job in file order (``show`` one of ROW_FILTERS keys, or all)."""
    rows = BulkInviteRow.objects.filter(bulk=bulk).select_related("invitation").order_by("line_number")
    if show in ROW_FILTERS:
        rows = rows.filter(state__in=ROW_FILTERS[show][1])
    return rows


# --- progress ----------------------------------------------------------------------------------

WIDTH_STEPS = (0, 1, *range(5, 101, 5))


def width_class(part: int, total: int) -> str:
    """The ``.w-N`` class nearest to part/total (no inline styles under the CSP); a non-zero part
    never disappears."""
    if not total or part <= 0:
        return "w-0"
    percent = 100.0 * part / total
    step = min(WIDTH_STEPS, key=lambda s: abs(s - percent))
    return f"w-{max(step, 1)}"


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    invalid: int
    duplicate: int
    remaining: int
    done: bool
    stalled: bool

    @property
    def segments(self) -> list[tuple[str, int, str]]:
        return [(name, count, width_class(count, self.total)) for name, count in (
            ("sent", self.sent), ("failed", self.failed), ("invalid", self.invalid), ("duplicate", self.duplicate))]

    @property
    def finished_share(self) -> int:
        return round(100 * (self.total - self.remaining) / self.total) if self.total else 100


FINISHED = (BulkInvite.Status.COMPLETED, BulkInvite.Status.COMPLETED_WITH_ERRORS)


def stalled_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MOJITO_BULK_LEASE_SECONDS", 300)))


def bulk_invite_progress(bulk: BulkInvite, counts: dict[str, int]) -> Progress:
    """The bar's numbers from the per-state ``counts`` (services.invitations.bulk_invite_state_counts)."""
    State = BulkInviteRow.State
    remaining = counts.get(State.PENDING, 0) + counts.get(State.SENDING, 0)
    done = bulk.status in FINISHED and not remaining
    running = bulk.status in (BulkInvite.Status.QUEUED, BulkInvite.Status.RUNNING)
    stalled = running and bool(remaining) and bulk.updated_at < timezone.now() - stalled_after()
    return Progress(total=sum(counts.values()), sent=counts.get(State.SENT, 0), failed=counts.get(State.FAILED, 0),
                    invalid=counts.get(State.INVALID, 0), duplicate=counts.get(State.DUPLICATE, 0),
                    remaining=remaining, done=done, stalled=stalled)


# --- credits -----------------------------------------------------------------------------------

# API reference section 6.1, from the one credit table (mojito.credits) the sandbox also charges.
def interview_credit_cost(interview: Interview) -> float:
    """Credits one taken interview of this definition is expected to cost (an estimate: JobMojito bills)."""
    raw = interview.raw if isinstance(interview.raw, dict) else {}
    kind = interview.template_type or (interview.template.type if interview.template_id and interview.template else "")
    scoring = raw.get("result_scoring") if isinstance(raw.get("result_scoring"), dict) else {}
    return round(interview_credits(kind, max_duration=interview.max_duration, recording=raw.get("recording"),
                                   recording_full_session=raw.get("recording_full_session"),
                                   early_stop=bool(scoring.get("early_stop"))), 2)
