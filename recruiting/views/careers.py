"""The public candidate pages under /jobs/ (no login): open positions, one job, the apply form and
the candidate's own decision page (by an unguessable token).

Every response of these views (``candidate_page``):
- may be framed only by EMBED_ALLOWED_ORIGINS plus the interview's own list (CSP frame-ancestors),
  and carries no X-Frame-Options; every other page of the app keeps DENY / 'none';
- is ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer`` (the decision page holds a
  signed interview URL that must not leak or be stored);
- sets no cookie: the apply form carries its own signed token (see recruiting.forms.careers).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from recruiting.forms.careers import ApplyForm
from recruiting.selectors import careers as selectors
from recruiting.selectors.careers import page_language
from recruiting.services.careers import application_interview_src, application_submit
from recruiting.tasks import application_prescreen_task, enqueue

DEFAULT_AI_NOTICE = gettext_noop(
    "This application is pre-screened by an AI: it compares your résumé with the job. If it matches, you "
    "take an interview led by an AI interviewer right away. A person at the employer reviews the results "
    "and makes the decision. Your résumé is deleted after {days} days.")


# --- what every candidate page shares ------------------------------------------------------------
def frame_ancestors(page=None) -> list[str]:
    origins = [*settings.EMBED_ALLOWED_ORIGINS, *(page.origins if page is not None else [])]
    return list(dict.fromkeys(o.rstrip("/") for o in origins if o))


def candidate_page(view):
    """Public, framable by the allowed origins only, never cached, no referrer, no X-Frame-Options."""
    @login_not_required
    @xframe_options_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render_candidate(request, "careers/not_found.html", {}, None, status=404)
        page = getattr(response, "career_page", None)
        ancestors = frame_ancestors(page)
        response._csp_replace = {"frame-ancestors": [SELF, *ancestors] if ancestors else [NONE]}
        frame_src = getattr(response, "frame_src", None)
        if frame_src:
            response._csp_update = {"frame-src": [frame_src]}
        response["Cache-Control"] = "no-store, max-age=0"
        response["Referrer-Policy"] = "no-referrer"
        return response
    return wrapped


def render_candidate(request, template: str, context: dict, page, *, status: int = 200):
    language = page_language(page)
    embedded = request.GET.get("embed") == "1"
    with translation.override(language):
        response = render(request, template, {
            **context, "page": page, "language": language, "embedded": embedded,
            "embed_q": "?embed=1" if embedded else "",
            "parent_origins": " ".join(frame_ancestors(page)),
        }, status=status)
    response.career_page = page
    return response


def _with_embed(request, url: str) -> str:
    return f"{url}?embed=1" if request.GET.get("embed") == "1" or request.POST.get("embed") == "1" else url


# --- pages -----------------------------------------------------------------------------------------
@candidate_page
@require_GET
def jobs(request):
    return render_candidate(request, "careers/jobs.html", {"pages": selectors.open_pages()}, None)


def _notice(page) -> str:
    return page.ai_notice or _(DEFAULT_AI_NOTICE).format(days=settings.RESUME_RETENTION_DAYS)


@candidate_page
@require_GET
def job(request, slug):
    page = selectors.open_page(slug)
    return render_candidate(request, "careers/job.html", {"ai_notice": _notice(page)}, page)


def rate_limited(request, exception=None):
    """django-ratelimit's RATELIMIT_VIEW (not used by the apply view, which answers in its form)."""
    response = render_candidate(request, "careers/not_found.html", {"limited": True}, None, status=429)
    return response


def _over_limit(request) -> bool:
    """Per client address and per email (normalised); counted on every POST."""
    by_ip = is_ratelimited(request, group="careers-apply-ip", key="ip", rate=settings.CAREERS_APPLY_RATE_IP,
                           method="POST", increment=True)
    by_email = is_ratelimited(request, group="careers-apply-email",
                              key=lambda group, req: (req.POST.get("email") or "").strip().lower() or "-",
                              rate=settings.CAREERS_APPLY_RATE_EMAIL, method="POST", increment=True)
    return by_ip or by_email


@candidate_page
@csrf_exempt  # the form carries its own signed token; see recruiting.forms.careers
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    page = selectors.open_page(slug)
    status = 200
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES, slug=page.slug)
        if _over_limit(request):
            form.is_valid()  # keep and show what was typed
            form.errors.clear()
            form.add_error(None, _("Too many applications from here in a short time. Wait an hour and try "
                                   "again; what you typed is kept below (choose the file again)."))
            status = 429
        elif form.is_bot:
            # A bot filled the hidden field: answer like a success, store nothing.
            return render_candidate(request, "careers/received.html", {}, page)
        elif form.is_valid():
            application, created = application_submit(
                page=page, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                country_code=form.cleaned_data["country"], resume_text=form.extracted_text,
                resume_file_name=form.extracted_from, site_url=request.build_absolute_uri("/"))
            if created:
                enqueue(application_prescreen_task, application.pk)
            url = _with_embed(request, reverse("careers:decision", args=[application.token]))
            return redirect(f"{url}{'&' if '?' in url else '?'}{'new=1' if created else 'again=1'}")
        else:
            status = 422
    else:
        form = ApplyForm(slug=page.slug)
    return render_candidate(request, "careers/apply.html", {"form": form, "ai_notice": _notice(page),
                                                            "file_sent": bool(request.FILES)}, page, status=status)


@candidate_page
@require_GET
def decision(request, token):
    application = selectors.application_by_token(token)
    page = application.page
    src = application_interview_src(application)
    context = {"application": application, "interview_src": src,
               "again": request.GET.get("again") == "1", "poll": application.is_pending}
    if request.htmx and not application.is_pending:
        response = render_candidate(request, "careers/decision.html", context, page)
        response["HX-Refresh"] = "true"  # the answer is in: load the full page (with the interview)
    elif request.htmx:
        response = render_candidate(request, "careers/decision.html#status", context, page)
    else:
        response = render_candidate(request, "careers/decision.html", context, page)
    if src:
        parts = urlsplit(src)
        response.frame_src = f"{parts.scheme}://{parts.netloc}"
    return response
