"""Reads for the dashboard: querysets with their joins, filters and counts, one module per area.

Views call selectors to read and services to write; selectors never call JobMojito.
"""


def capped_count(queryset, limit: int) -> int:
    """``SELECT COUNT(*) FROM (... LIMIT limit)``: the rows up to ``limit``, so a count that only has
    to say "more than N" stops early on any table size (the navigation badge, the overview cards).

    Without the model's ordering: which rows are counted does not matter, and a sorted subquery
    made PostgreSQL sort every match before the LIMIT (5.9 ms for 10,000 not-started invitations
    among 60,000, against 0.3 ms walking their partial index)."""
    return queryset.order_by().values("pk")[:limit].count()
