"""A changelist paginator that stays fast on big tables (Django ticket #8408).

``count``:
* PostgreSQL, unfiltered queryset, planner estimate (``pg_class.reltuples``) above
  ``ESTIMATE_THRESHOLD``: the estimate, one catalogue lookup instead of a full-table COUNT(*).
* PostgreSQL otherwise: an exact COUNT(*) under a ``statement_timeout`` of ``COUNT_TIMEOUT_MS``;
  if it times out, the table estimate (an upper bound) stands in.
* Other databases (SQLite): the exact count.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import DatabaseError, connections, transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

ESTIMATE_THRESHOLD = 10_000
COUNT_TIMEOUT_MS = 200


def table_estimate(queryset: QuerySet) -> int | None:
    """The planner's row estimate for the queryset's table, or None if unknown (never analysed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    if not row or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


def is_unfiltered(queryset: QuerySet) -> bool:
    query = queryset.query
    return not query.where and not query.distinct and query.group_by is None and not query.combinator


class EstimatedCountPaginator(Paginator):
    estimate_threshold = ESTIMATE_THRESHOLD
    count_timeout_ms = COUNT_TIMEOUT_MS

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or connections[queryset.db].vendor != "postgresql":
            return super().count
        estimate = table_estimate(queryset) if is_unfiltered(queryset) else None
        if estimate is not None and estimate > self.estimate_threshold:
            return estimate
        return self._count_with_timeout(queryset)

    def _count_with_timeout(self, queryset: QuerySet) -> int:
        connection = connections[queryset.db]
        try:
            with transaction.atomic(using=queryset.db):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                        [f"{int(self.count_timeout_ms)}ms"],
                    )
                    previous = cursor.fetchone()[0]
                count = queryset.count()
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                return count
        except DatabaseError:
            estimate = table_estimate(queryset)
            return estimate if estimate is not None else 0
