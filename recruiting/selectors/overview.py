"""Reads for the overview (``/``): counts that lead somewhere, recent results, webhook health and
the two charts' data. Everything is aggregated in the database (COUNT / GROUP BY): the page costs
the same number of queries, and no Python loop over rows, whether there are 10 results or 200,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from mojito.vocabulary import CandidateStatus, InterviewStatus
from recruiting.models import Interview, InterviewResult, Invitation
from recruiting.selectors import capped_count
from recruiting.selectors.results import FAILED_Q, results_pending_review_count

CHART_DAYS = 30
SCORE_BUCKETS = 10  # 0-1, 1-2, ... 9-10 (scores are on 0-10)


# The counts that grow with the tables stop at this many (the card then says "1,000+"): counting
# every row of a 200,000-row table on each view would cost the page 100 ms and more.
COUNT_CAP = 1000
CHART_CACHE_SECONDS = 60


@dataclass
class OverviewCounts:
    interviews_live: int
    invitations_pending: int
    to_review: int
    failed_this_week: int
    week_start: dt.date
    cap: int = COUNT_CAP


def overview_counts(now: dt.datetime | None = None, *, cap: int = COUNT_CAP) -> OverviewCounts:
    now = now or timezone.now()
    week_ago = now - dt.timedelta(days=7)
    # Plain COUNTs over LIMITed subqueries, each stopping after cap + 1: the not-started invitations
    # walk the invitation_not_started partial index, the review queue the partial index of scored
    # results (an anti-join), the failures the last week of the result_taken index.
    pending = (Invitation.objects.filter(delivery_state__in=[Invitation.DeliveryState.REGISTERED,
                                                             Invitation.DeliveryState.INVITED],
                                         started_at__isnull=True)
               .exclude(status=CandidateStatus.DELETED))
    return OverviewCounts(
        interviews_live=Interview.objects.filter(status=InterviewStatus.ACTIVE).count(),
        # cap + 1 rows at most: more than cap shows as "cap+" (the ``capped`` template filter)
        invitations_pending=capped_count(pending, cap + 1),
        to_review=results_pending_review_count(cap=cap + 1),
        failed_this_week=capped_count(InterviewResult.objects.filter(FAILED_Q, remote_created_at__gte=week_ago), cap + 1),
        week_start=timezone.localtime(week_ago).date(),
        cap=cap,
    )


def recent_results(limit: int = 6) -> list[InterviewResult]:
    return list(InterviewResult.objects.select_related("interview", "candidate", "review")
                .order_by("-remote_created_at", "-pk")[:limit])


def charts_cached() -> tuple[list[tuple[dt.date, int]], list[tuple[str, int]]]:
    """(results per day, score distribution) as the overview draws them, computed at most once a
    minute (``CHART_CACHE_SECONDS``) whoever looks: both read every result of the window or of the
    table, and a chart a minute old says the same thing."""
    today = timezone.localtime().date().isoformat()
    key = f"overview:charts:{today}"
    charts = cache.get(key)
    if charts is None:
        charts = (results_per_day(), score_distribution())
        cache.set(key, charts, CHART_CACHE_SECONDS)
    return charts


def results_per_day(days: int = CHART_DAYS, now: dt.datetime | None = None) -> list[tuple[dt.date, int]]:
    """(day, attempts taken that day at JobMojito) for the last ``days`` days, today last, zeros included.

    One query over the window of the ``result_taken`` index: a COUNT per day, each filtered by the
    day's bounds in the display time zone (computed here), so no per-row date function runs in the
    database (on SQLite that is a Python call per row)."""
    now = timezone.localtime(now or timezone.now())
    first = now.date() - dt.timedelta(days=days - 1)
    bounds = [timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=i), dt.time.min), now.tzinfo)
              for i in range(days + 1)]
    counts = InterviewResult.objects.filter(remote_created_at__gte=bounds[0], remote_created_at__lt=bounds[-1]).aggregate(
        **{f"d{i}": Count("pk", filter=Q(remote_created_at__gte=bounds[i], remote_created_at__lt=bounds[i + 1]))
           for i in range(days)})
    return [(first + dt.timedelta(days=i), counts[f"d{i}"]) for i in range(days)]


def score_distribution() -> list[tuple[str, int]]:
    """(label "7–8", scored results in that band); a 10 counts in the top band, a negative one in the first.

    One pass over the scores with a COUNT per band (plain comparisons, no per-row function)."""
    bands = {f"b{b}": Count("pk", filter=_band(b)) for b in range(SCORE_BUCKETS)}
    counts = InterviewResult.objects.filter(score__isnull=False).aggregate(**bands)
    return [(f"{b}–{b + 1}", counts[f"b{b}"]) for b in range(SCORE_BUCKETS)]


def _band(b: int) -> Q:
    low = Q() if b == 0 else Q(score__gte=b)
    high = Q() if b == SCORE_BUCKETS - 1 else Q(score__lt=b + 1)
    return low & high
