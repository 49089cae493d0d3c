"""Reads for the dashboard: querysets with their joins, filters and counts, one module per area.

Views call selectors to read and services to write; selectors never call JobMojito.
"""


def capped_count(queryset, limit: int) -> int:
    """``SELECT COUNT(*) FROM (... LIMIT limit)``: the rows up to ``limit``, so a count that only has
    to say "more than N" stops early on any table size (the navigation badge, the overview cards)."""
    return queryset.values("pk")[:limit].count()
