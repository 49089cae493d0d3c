"""Merchant: avatar templates and the status snapshot (credits, counters, invitations)."""

from __future__ import annotations

from datetime import datetime, timezone

from mojito import vocabulary as v
from mojito.sandbox import credits, outbox
from mojito.sandbox.api import common as c
from mojito.sandbox.validation import F

AVATAR_LIST = {
    "merchant_id": F("string", uuid=True),
    "type": F("string", enum=c.TEMPLATE_TYPES),
    "status": F("string", enum=frozenset(v.values(v.AvatarStatus))),
    **c.strings("mojito_language_code", "filter_text"),
    "include_archived": F("string", enum=c.TRUE_FALSE),
    "include_public": F("string", enum=c.TRUE_FALSE),
    **c.PAGING,
}

STATUS = {"merchant_id": F("string", uuid=True)}


def handle_merchant_avatar_list(sandbox, request):
    params = c.read_params(request, AVATAR_LIST)
    include_archived = params.get("include_archived") == "true"
    rows = []
    for template in sandbox.state.templates.values():
        if params.get("type") and template["type"] != params["type"]:
            continue
        if params.get("status"):
            if template["status"] != params["status"]:
                continue
        elif template["status"] == v.AvatarStatus.ARCHIVED and not include_archived:
            continue
        if params.get("mojito_language_code") and template.get("mojito_language_code") != params["mojito_language_code"]:
            continue
        if not c.text_match(params.get("filter_text"), template.get("name"), template.get("video_voice_language_name")):
            continue
        rows.append(dict(template))
    rows.sort(key=lambda r: (r.get("updated_at") or "", r["id"]), reverse=True)
    return c.ok(c.paginate(rows, params))


def _history(stamps: list[str]) -> list[int]:
    """14 daily counts, newest first."""
    today = datetime.now(timezone.utc).date()
    counts = [0] * 14
    for stamp in stamps:
        try:
            day = datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
        except (AttributeError, ValueError):
            continue
        age = (today - day).days
        if 0 <= age < 14:
            counts[age] += 1
    return counts


def handle_merchant_status(sandbox, request):
    c.read_params(request, STATUS)
    state = sandbox.state
    config = state.config
    with state.lock:
        balance = credits.balances(state)
        results = [r for r in state.results.values() if r.get("status") != v.ResultStatus.ARCHIVED]
        enrolments = [e for e in state.enrolments.values() if e.get("status") != "deleted"]
        sent = outbox.invitations_sent(state)
        limit = credits.invitations_limit(state)
        body = {
            "profile_id": config.profile_id,
            "default_merchant_id": config.merchant_id,
            "merchant_id": config.merchant_id,
            "credits_interview_monthly": balance["monthly"],
            "credits_interview_monthly_limit": balance["monthly_limit"],
            "credits_interview_extra": balance["extra"],
            "credits_interview_single": 0,
            "definitions_active": sum(1 for i in state.interviews.values() if i.get("status") == v.InterviewStatus.ACTIVE),
            "interviews_without_credits": sum(
                1 for r in results if (r.get("coach_status") or "") in v.COMPLETED_COACH_STATUSES and not r.get("_charged")),
            "interviews_undecided": sum(1 for r in results if r.get("status") == v.ResultStatus.ACTIVE
                                        and not r.get("decision_status")),
            "interviews_ongoing": sum(1 for r in results
                                      if r.get("coach_status") in (v.CoachStatus.STARTED, v.CoachStatus.ONGOING)),
            "interview_results": len(results),
            "candidates": len(enrolments),
            "candidates_history": _history([e.get("created_at") for e in enrolments]),
            "interview_result_history": _history([r.get("created_at") for r in results]),
            "subscription_type": config.subscription_type,
            "subscription_status": config.subscription_status,
            "invitations_sent": sent,
            "invitations_limit": limit,
            "invitations_available": credits.invitations_available(state),
        }
    return c.ok(body)


