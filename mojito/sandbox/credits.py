"""Credits as section 6 of the API reference charges them, kept in ``state.credit_ledger``.

Interview cost = (base format + add-ons) x duration multiplier, charged when a result is submitted
(``charge_interview``, called by the lifecycle); 0.25 per pre-screen; 0.1 per translated report
result. Balances (merchant-status) are the configured allowance minus the ledger. The prices come
from ``mojito.credits`` (the one credit table the app also shows).
"""

from __future__ import annotations

from mojito.credits import PRE_SCREENING_CREDITS, TRANSLATION_CREDITS, interview_credits
from mojito.sandbox import outbox
from mojito.sandbox.state import new_id, now_iso

PRE_SCREENING_COST = PRE_SCREENING_CREDITS
TRANSLATION_COST = TRANSLATION_CREDITS
INCOMPLETE_MIN_DECISECONDS = 300  # completed but not submitted: charged when longer than 30 s


def interview_cost(interview: dict) -> float:
    """Credits one taken interview of this definition costs (§6.1), from the app's table in mojito.credits."""
    scoring = interview.get("result_scoring") if isinstance(interview.get("result_scoring"), dict) else {}
    return interview_credits(interview.get("interview_template_type"), max_duration=interview.get("max_duration"),
                             recording=interview.get("recording"),
                             recording_full_session=interview.get("recording_full_session"),
                             early_stop=bool(scoring.get("early_stop")))


def charge(state, event: str, amount: float, *, profile_id=None, profile_interview_id=None, object_uuid=None,
           parent_object_uuid=None, candidate_name=None, stats=None) -> dict:
    """Append one ledger row (merchant-analytics-credits-used shape) and return it."""
    row = {
        "id": new_id(),
        "event_date": now_iso(),
        "event": event,
        "credit_amount": round(float(amount), 4),
        "stats": {"credit_amount": round(float(amount), 4), **(stats or {})},
        "candidate_name": candidate_name,
        "profile_id": profile_id,
        "profile_interview_id": profile_interview_id,
        "object_uuid": object_uuid,
        "parent_object_uuid": parent_object_uuid,
    }
    with state.lock:
        state.credit_ledger.append(row)
    return row


def _result_refs(result: dict) -> dict:
    return {"profile_id": result.get("profile_id"), "profile_interview_id": result.get("profile_interview_id"),
            "object_uuid": result.get("id"), "parent_object_uuid": result.get("definition_id"),
            "candidate_name": result.get("candidate_name")}


def charge_interview(state, result: dict) -> float:
    """Charge a finished result once: submitted -> ``interview``; completed but not submitted and
    longer than 30 s -> ``interview_incomplete``; failed / abandoned / short -> free. Returns the amount."""
    with state.lock:
        if result.get("_charged"):
            return 0.0
        completed = (result.get("coach_status") or "").startswith("completed")
        if result.get("status") == "active":
            event = "interview"
        elif completed and (result.get("duration") or 0) > INCOMPLETE_MIN_DECISECONDS:
            event = "interview_incomplete"
        else:
            return 0.0
        interview = state.interviews.get(result.get("definition_id") or result.get("interview_id") or "", {})
        amount = interview_cost(interview)
        charge(state, event, amount, stats={"template_type": interview.get("interview_template_type"),
                                            "max_duration": interview.get("max_duration")}, **_result_refs(result))
        result["_charged"] = True
        return amount


def charge_pre_screening(state, prescreening: dict, candidate_name=None) -> dict:
    return charge(state, "pre_screening", PRE_SCREENING_COST, profile_id=prescreening.get("profile_id"),
                  profile_interview_id=prescreening.get("profile_interview_id"),
                  object_uuid=prescreening.get("interview_result_pre_screening_id"),
                  parent_object_uuid=prescreening.get("position_id"), candidate_name=candidate_name)


def charge_translation(state, result: dict, language: str) -> dict:
    return charge(state, "candidate_report_translation", TRANSLATION_COST, stats={"mojito_language_code": language},
                  **_result_refs(result))


def used(state) -> float:
    with state.lock:
        return round(sum(row.get("credit_amount") or 0 for row in state.credit_ledger), 4)


def balances(state) -> dict:
    """{monthly, monthly_limit, extra, available}: the monthly allowance is spent before top-ups."""
    config = state.config
    spent = used(state)
    monthly = max(0.0, config.credits_interview_monthly - spent)
    extra = max(0.0, config.credits_interview_extra - max(0.0, spent - config.credits_interview_monthly))
    return {"monthly": round(monthly, 4), "monthly_limit": config.credits_interview_monthly,
            "extra": round(extra, 4), "available": round(monthly + extra, 4)}


UNLIMITED_SUBSCRIPTIONS = frozenset({"Special"})


def invitations_limit(state) -> int | None:
    """4 x available credits (API reference 6.2); None on unlimited ("Special") plans."""
    if state.config.subscription_type in UNLIMITED_SUBSCRIPTIONS:
        return None
    return int(4 * balances(state)["available"])


def invitations_available(state) -> int | None:
    """Candidate invitations that may still be emailed this period; None = unlimited."""
    limit = invitations_limit(state)
    return None if limit is None else max(0, limit - outbox.invitations_sent(state))
