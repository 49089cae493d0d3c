"""Template context every dashboard page needs: the navigation with the current area marked."""

from __future__ import annotations

from django.urls import reverse

from recruiting.selectors.navigation import navigation_counts

# (label, URL name, the URL namespaces that belong to the area, badge key)
NAVIGATION = [
    ("Overview", "home", {""}, None),
    ("Interviews", "interviews:list", {"interviews"}, None),
    ("Candidates", "candidates:list", {"candidates", "invitations"}, None),
    ("Results", "results:list", {"results"}, None),
    ("To review", "results:to_review", {"results-to-review"}, "to_review"),
    ("Pre-screening", "prescreening:list", {"prescreening"}, None),
    ("Knowledge", "knowledge:list", {"knowledge"}, None),
    ("Activity", "activity:list", {"activity"}, None),
    ("Webhooks", "webhook_inbox:list", {"webhook_inbox"}, None),
]


def _url(name: str, request) -> str:
    if name == "results:to_review":  # the review queue is the results list, filtered
        return reverse("results:list") + "?review=pending"
    return reverse(name)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "careers_page", False):
        return {}
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else None
    is_review_queue = namespace == "results" and request.GET.get("review") == "pending"
    counts = navigation_counts()
    items = []
    for label, name, namespaces, badge in NAVIGATION:
        current = ("results-to-review" in namespaces and is_review_queue) or (
            namespace in namespaces and not (is_review_queue and namespace == "results")
        )
        if name == "home":
            current = bool(match) and match.url_name == "home"
        items.append({"label": label, "url": _url(name, request), "current": current,
                      "count": counts.get(badge) if badge else None})
    return {"navigation": items}
