"""Reads for the overview (``/``): counts that lead somewhere, recent results, webhook health and
the two charts' data. Everything is aggregated in the database (COUNT / GROUP BY): the page costs
the same number of queries, and no Python loop over rows, whether there are 10 results or 200,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, FloatField, Max, OuterRef, Q, Value
from django.db.models.functions import Floor, Least, TruncDate
from django.utils import timezone

from mojito.models import WebhookDelivery
from mojito.vocabulary import CandidateStatus, InterviewStatus
from recruiting.models import Interview, InterviewResult, Invitation
from recruiting.selectors.results import FAILED_Q, PENDING_REVIEW_Q

CHART_DAYS = 30
SCORE_BUCKETS = 10  # 0-1, 1-2, ... 9-10 (scores are on 0-10)


@dataclass
class OverviewCounts:
    interviews_live: int
    invitations_pending: int
    to_review: int
    failed_this_week: int
    week_start: dt.date


def overview_counts(now: dt.datetime | None = None) -> OverviewCounts:
    now = now or timezone.now()
    week_ago = now - dt.timedelta(days=7)
    # Two plain COUNTs: the first walks the partial index of scored results (an anti-join), the
    # second the last week of the result_taken index; one aggregate with FILTER would run the NOT
    # EXISTS once per row of the table.
    results = {
        "to_review": InterviewResult.objects.filter(PENDING_REVIEW_Q).count(),
        "failed": InterviewResult.objects.filter(FAILED_Q, remote_created_at__gte=week_ago).count(),
    }
    started = InterviewResult.objects.filter(invitation=OuterRef("pk"))
    pending = (Invitation.objects.filter(delivery_state__in=[Invitation.DeliveryState.REGISTERED,
                                                             Invitation.DeliveryState.INVITED])
               .exclude(status=CandidateStatus.DELETED).filter(~Exists(started)).count())
    return OverviewCounts(
        interviews_live=Interview.objects.filter(status=InterviewStatus.ACTIVE).count(),
        invitations_pending=pending,
        to_review=results["to_review"],
        failed_this_week=results["failed"],
        week_start=timezone.localtime(week_ago).date(),
    )


def recent_results(limit: int = 6) -> list[InterviewResult]:
    return list(InterviewResult.objects.select_related("interview", "candidate", "review")
                .order_by("-remote_created_at", "-pk")[:limit])


@dataclass
class WebhookHealth:
    last_received_at: dt.datetime | None
    failed: int
    pending: int


def webhook_health() -> WebhookHealth:
    row = WebhookDelivery.objects.aggregate(
        last=Max("received_at"),
        failed=Count("pk", filter=Q(state=WebhookDelivery.State.FAILED)),
        pending=Count("pk", filter=Q(state=WebhookDelivery.State.PENDING)),
    )
    return WebhookHealth(row["last"], row["failed"], row["pending"])


def results_per_day(days: int = CHART_DAYS, now: dt.datetime | None = None) -> list[tuple[dt.date, int]]:
    """(day, attempts taken that day at JobMojito) for the last ``days`` days, today last, zeros included."""
    now = timezone.localtime(now or timezone.now())
    first = now.date() - dt.timedelta(days=days - 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), now.tzinfo)
    counts = dict(InterviewResult.objects.filter(remote_created_at__gte=start)
                  .annotate(day=TruncDate("remote_created_at", tzinfo=now.tzinfo)).values("day")
                  .annotate(n=Count("pk")).values_list("day", "n"))
    return [(first + dt.timedelta(days=i), counts.get(first + dt.timedelta(days=i), 0)) for i in range(days)]


def score_distribution() -> list[tuple[str, int]]:
    """(label "7–8", scored results in that band); a 10 counts in the top band."""
    counts = dict(InterviewResult.objects.filter(score__isnull=False)
                  .annotate(band=Least(Floor("score"), Value(float(SCORE_BUCKETS - 1)), output_field=FloatField())).values("band")
                  .annotate(n=Count("pk")).values_list("band", "n"))
    by_band = {int(band): n for band, n in counts.items() if band is not None}
    return [(f"{b}–{b + 1}", by_band.get(b, 0) + (by_band.get(-1, 0) if b == 0 else 0)) for b in range(SCORE_BUCKETS)]
