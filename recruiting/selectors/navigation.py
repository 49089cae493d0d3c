"""Counts shown in the top navigation (cheap: one indexed COUNT each, only for logged-in users)."""

from __future__ import annotations


def navigation_counts() -> dict[str, int]:
    """Badge counts keyed by navigation area (``to_review``: scored results nobody has decided yet)."""
    from recruiting.selectors.results import BADGE_CAP, results_pending_review_count

    return {"to_review": results_pending_review_count(cap=BADGE_CAP)}
