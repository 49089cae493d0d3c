"""Part 5, candidate apply: p95 of the apply POST under 8 concurrent candidates.

Measured once the candidate pages exist (``careers:apply`` resolving to a built view); until then
the row says why it is not measurable, with no value.
"""

from __future__ import annotations

from bench.common import Figure


def _apply_url() -> str | None:
    from django.urls import NoReverseMatch, resolve, reverse

    from recruiting.views import placeholder

    for name in ("careers:apply", "apply"):
        try:
            url = reverse(name, kwargs={"slug": "bench"})
        except NoReverseMatch:
            continue
        try:
            if resolve(url).func is not placeholder.not_built:
                return url
        except Exception:  # noqa: BLE001 - a URL that does not resolve is "not built"
            return None
    return None


def run(ctx) -> list[Figure]:
    url = _apply_url()
    if url is None:
        return [Figure("apply.p95_ms", None, "ms", limit=None,
                       notes="not measurable yet: /jobs/<slug>/apply/ (URL name careers:apply) has not landed; "
                             "this branch has only the careers placeholder")]
    return [Figure("apply.p95_ms", None, "ms",
                   notes=f"not measurable yet: {url} exists, but the apply harness (a job with a slug, a "
                         f"valid application form, 8 concurrent candidates) is not written in this branch")]
