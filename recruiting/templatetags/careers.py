"""Template tags of the candidate pages, and the dashboard sections they add to the interview
and candidate pages:

    {% load careers %}
    {% candidate_pages_section interview %}   settings, embed snippet, recent applications
    {% applications_section candidate %}      the candidate's applications with their outcome
    {{ seconds|minutes }}
"""

from __future__ import annotations

import math

from django import template
from django.conf import settings
from django.urls import reverse

from recruiting.selectors import careers as selectors

register = template.Library()


@register.filter
def minutes(seconds) -> int | str:
    try:
        return max(1, math.ceil(int(seconds) / 60))
    except (TypeError, ValueError):
        return ""


def snippet_for(app_origin: str, path: str, title: str = "Jobs") -> str:
    """The markup an employer pastes into their careers site: an iframe of ``path`` (embed layout)
    and the app's resize script (served by the app, no inline code)."""
    script = f"{app_origin}{settings.STATIC_URL}js/careers-embed.js"
    return (f'<iframe src="{app_origin}{path}?embed=1" title="{title}" width="100%" height="900" '
            f'data-jobmojito-careers\n        allow="camera; microphone; fullscreen; autoplay"></iframe>\n'
            f'<script src="{script}" async></script>')


def embed_snippet(request, page) -> str:
    origin = f"{request.scheme}://{request.get_host()}" if request is not None else ""
    return snippet_for(origin, reverse("careers:job", args=[page.slug]))


@register.inclusion_tag("dashboard/careers/_section.html", takes_context=True)
def candidate_pages_section(context, interview):
    page = selectors.page_for_interview(interview)
    request = context.get("request")
    return {
        "interview": interview, "page": page, "request": request,
        "applications": list(selectors.applications_for_interview(interview)) if page else [],
        "counts": selectors.application_counts(interview) if page else None,
        "snippet": embed_snippet(request, page) if page else "",
        "global_origins": settings.EMBED_ALLOWED_ORIGINS,
    }


@register.inclusion_tag("dashboard/careers/_applications.html")
def applications_section(candidate):
    return {"candidate": candidate, "applications": list(selectors.applications_for_candidate(candidate))}
