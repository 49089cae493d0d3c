"""A paginator that stays fast on big tables (Django ticket #8408), for the dashboard's lists and
the admin's changelists.

``count``:
* PostgreSQL, unfiltered queryset: one statement that answers the planner's estimate
  (``pg_class.reltuples``) when it is above ``ESTIMATE_THRESHOLD``, and an exact COUNT(*) below it
  (the COUNT is a subplan PostgreSQL runs only when the estimate is small). ``is_estimate`` then
  says which it was, so a page can say "about 200,000". One query whatever the table's size.
* PostgreSQL, filtered: an exact COUNT(*) under a ``statement_timeout`` of ``COUNT_TIMEOUT_MS``;
  if it times out, the table estimate (an upper bound) stands in (``is_estimate`` is then true).
* Other databases (SQLite): the exact count (SQLite counts 200,000 rows in a few milliseconds).
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
    is_estimate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or connections[queryset.db].vendor != "postgresql":
            return super().count
        if is_unfiltered(queryset):
            return self._estimate_or_count(queryset)
        return self._count_with_timeout(queryset)

    def _estimate_or_count(self, queryset: QuerySet) -> int:
        connection = connections[queryset.db]
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                # reltuples is -1 (PostgreSQL 14+) or 0 on a table never analysed: counted exactly.
                f"SELECT c.reltuples > %s, CASE WHEN c.reltuples > %s THEN c.reltuples::bigint "
                f"ELSE (SELECT COUNT(*) FROM {table}) END FROM pg_class c WHERE c.oid = to_regclass(%s)",
                [self.estimate_threshold, self.estimate_threshold, table],
            )
            row = cursor.fetchone()
        if row is None:  # not a plain table (a view?): count it
            return super().count
        self.is_estimate = bool(row[0])
        return int(row[1])

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
            self.is_estimate = estimate is not None
            return estimate if estimate is not None else 0
