"""Results: details, report export, request another attempt, result list."""

from __future__ import annotations

from mojito import vocabulary as v
from mojito.sandbox import credits
from mojito.sandbox.api import common as c
from mojito.sandbox.app import optional_module
from mojito.sandbox.state import now_iso, result_details, result_row
from mojito.sandbox.validation import F, ApiError, invalid

DETAILS = {
    "interview_result_id": F("string", required=True, min_length=1, uuid=True),
    "get_signed_recordings": F("string", enum=c.TRUE_FALSE),
}

FEATURES = F("object", props={
    "mojito_language_code": F("string", null=False, enum=c.LANGUAGES),
    **{k: F("boolean", null=False) for k in (
        "contact_details", "ai_recruiter_assessment", "ai_scoring_rubric", "analytics", "transcript", "files",
        "answer_recording", "session_recording", "group_by_question")},
    "template": F("string", null=False, enum=v.values(v.ReportTemplate)),
})

PDF = {
    "interview_result_id": F("string", null=False, uuid=True),
    "interview_result_ids": F("array", null=False, items=F("string", null=False, uuid=True)),
    "export_type": F("string", required=True, enum=v.values(v.ExportType)),
    "export_features_result": FEATURES,
    "template": F("string", null=False, enum=v.values(v.ReportTemplate)),
    "store_file": F("boolean", null=False),
}

ANOTHER_ATTEMPT = {"interview_result_id": F("string", required=True, min_length=1, uuid=True)}

RESULT_LIST = {
    "merchant_id": F("string", uuid=True),
    "type": F("string", enum=c.INTERVIEW_TYPE),
    "tab": F("string", enum=v.values(v.ResultTab)),
    "step": F("string", enum=v.values(v.ResultStep)),
    "interview_id": F("string", uuid=True),
    "profile_interview_id": F("string", uuid=True),
    "order_by": F("string", enum=v.values(v.ResultOrder)),
    **c.strings("risks", "filter_text", "filter_emoji"),
    **c.PAGING,
}

REJECTED = {v.DecisionStatus.AI_REJECT, v.DecisionStatus.RECRUITER_REJECT, "rejected"}  # "rejected"/"selected": 2.18
SELECTED = {v.DecisionStatus.AI_ACCEPT, v.DecisionStatus.RECRUITER_ACCEPT, "selected"}


def handle_job_interview_details(sandbox, request):
    params = c.read_params(request, DETAILS)
    result = sandbox.state.results.get(params["interview_result_id"])
    if result is None:
        raise ApiError(404, f"No interview result with id {params['interview_result_id']}.", "interview_result_id")
    signed = params.get("get_signed_recordings") == "true"
    return c.ok(result_details(result, signed_recordings=signed, base_url=sandbox.base_url))


def handle_job_interview_pdf(sandbox, request):
    data = c.body(request, PDF)
    ids = list(data.get("interview_result_ids") or [])
    if data.get("interview_result_id"):
        ids.insert(0, data["interview_result_id"])
    if not ids:
        raise invalid("Provide interview_result_id or interview_result_ids.", "interview_result_id")
    state = sandbox.state
    results = []
    for result_id in dict.fromkeys(ids):
        result = state.results.get(result_id)
        if result is None:
            field = "interview_result_id" if result_id == data.get("interview_result_id") else "interview_result_ids"
            raise invalid(f"Interview result {result_id} was not found.", field)
        results.append(result)
    features = dict(data.get("export_features_result") or {})
    template = data.get("template") or features.get("template") or "classic"
    reports = optional_module("reports")
    if reports is None or not hasattr(reports, "render"):
        raise ApiError(500, "reports not available in this sandbox")
    answer = reports.render(sandbox, results, data["export_type"], features, template)
    language = features.get("mojito_language_code")
    if language:
        for result in results:
            if language != (result.get("mojito_language_code") or "en"):
                credits.charge_translation(state, result, language)
    return c.ok(answer)


def handle_job_interview_result_request_another_attempt(sandbox, request):
    data = c.body(request, ANOTHER_ATTEMPT)
    state = sandbox.state
    with state.lock:
        result = state.results.get(data["interview_result_id"])
        if result is None:
            raise invalid(f"Interview result {data['interview_result_id']} was not found.", "interview_result_id")
        completed = (result.get("coach_status") or "") in {str(s) for s in v.COMPLETED_COACH_STATUSES}
        if result.get("status") != v.ResultStatus.ACTIVE or not completed:
            raise invalid("Another attempt can only be requested for a submitted (active) and completed result "
                          f"(this one is {result.get('status')}, {result.get('coach_status')}).",
                          "interview_result_id")
        result.update(status=v.ResultStatus.DRAFT.value, coach_status=v.CoachStatus.FAILED.value, decision_status=None, recruiter_go_next_round=None,
                      recruiter_shortlist=False, updated_at=now_iso())
        enrolment = state.enrolments.get(result.get("profile_interview_id") or "")
        if enrolment is not None:
            enrolment["attempts"] = (enrolment.get("attempts") or 1) + 1
            enrolment["updated_at"] = now_iso()
    webhooks = optional_module("webhooks")
    if webhooks is not None and hasattr(webhooks, "result_changed"):
        webhooks.result_changed(sandbox, result, ["status", "coach_status", "decision_status"])
    return c.ok({})


def _tab(tab: str | None, result: dict, interview_status: str | None) -> bool:
    decision = result.get("decision_status")
    completed = (result.get("coach_status") or "") in v.COMPLETED_COACH_STATUSES
    return {
        None: True, "": True,
        "decided-rejected": decision in REJECTED,
        "decided-selected": decision in SELECTED,
        "undecided": result.get("status") == v.ResultStatus.ACTIVE and not decision,
        "shortlist": bool(result.get("recruiter_shortlist")),
        "completed": completed,
        "incomplete": not completed,
        "archived-interview": result.get("status") == v.ResultStatus.ARCHIVED or interview_status == v.InterviewStatus.ARCHIVED,
        "public_avatar": result.get("type") == v.InterviewType.PUBLIC_AVATAR,
        "archived-public_avatar": result.get("type") == v.InterviewType.PUBLIC_AVATAR
        and result.get("status") == v.ResultStatus.ARCHIVED,
    }.get(tab, True)


def prescreening_row(state, record: dict) -> dict:
    profile = state.profiles.get(record.get("profile_id") or "", {})
    position = state.positions.get(record.get("position_id") or "", {})
    return {
        "id": record["interview_result_pre_screening_id"], "interview_result_id": None,
        "interview_result_pre_screening_id": record["interview_result_pre_screening_id"],
        "merchant_id": state.config.merchant_id, "profile_id": record.get("profile_id"),
        "profile_interview_id": record.get("profile_interview_id"), "definition_id": record.get("position_id"),
        "candidate_name": profile.get("name"), "candidate_email": profile.get("email"),
        "position_name": position.get("name"), "position_step": v.ResultStep.PRE_SCREENING.value,
        "type": v.InterviewType.INTERVIEW.value,
        "external_id": profile.get("external_id"), "mojito_language_code": position.get("mojito_language_code"),
        "status": v.ResultStatus.ACTIVE.value, "coach_status": None, "decision_status": record.get("decision_status"),
        "score": record.get("pre_screening_score"), "processing_status": v.ProcessingStatus.COMPLETED.value,
        "created_at": record.get("created_at"), "updated_at": record.get("created_at"),
    }


def handle_merchant_result_list(sandbox, request):
    params = c.read_params(request, RESULT_LIST)
    state = sandbox.state
    kind = params.get("type") or v.InterviewType.INTERVIEW
    target = params.get("interview_id")
    tab = params.get("tab")
    # Filter and sort the records, render only the page: the keys used have the same names in a
    # result record and in its row (result_row), so the answer is the same as rendering all.
    with state.lock:
        if params.get("step") == v.ResultStep.PRE_SCREENING:
            rows = _narrow_and_sort([prescreening_row(state, r) for r in state.prescreenings.values()
                                     if not target or r.get("position_id") == target], params)
            render = None
        else:
            rows = _listed_results(state, kind, target, tab, params)
            render = result_row
        if params.get("risks"):
            wanted = {k.strip() for k in params["risks"].split(",") if k.strip()}
            rows = [r for r in rows if wanted & set(r.get("recruiter_risks") or [])]
        page = c.paginate(rows, params)
        if render is not None:
            page["data"] = [render(r) for r in page["data"]]
    return c.ok(page)


LIST_CACHE_SIZE = 16


def _listed_results(state, kind, target, tab, params) -> list:
    """The result records a list asks for, filtered and sorted (``risks`` aside: it reads a nested
    list). Kept while the results and the interviews' statuses stay the same
    (``state.results.revisions``), so the pages of one list cost a slice each, not a pass over
    every result; any change (a result added, a status moved) and the next page recomputes."""
    revisions = getattr(state.results, "revisions", None)
    key = (kind, target, tab, params.get("profile_interview_id"), params.get("filter_text"), params.get("order_by"),
           tuple((i, d.get("status")) for i, d in state.interviews.items()))
    cache = state.__dict__.setdefault("_result_list_cache", {})
    if revisions is not None and revisions.tracked:
        hit = cache.get(key)
        if hit is not None and hit[0] is state.results and hit[1] == revisions.count:
            return hit[2]
    rows = _filter_and_sort(state, kind, target, tab, params)
    if revisions is not None and revisions.tracked:
        if len(cache) >= LIST_CACHE_SIZE:
            cache.clear()
        cache[key] = (state.results, revisions.count, rows)
    return rows


def _filter_and_sort(state, kind, target, tab, params) -> list:
    rows = []
    statuses: dict[str, str | None] = {}  # definition id -> its interview's status, looked up once
    for result in state.results.values():
        definition = result.get("definition_id") or ""
        if definition not in statuses:
            statuses[definition] = state.interviews.get(definition, {}).get("status")
        status = statuses[definition]
        if status == v.InterviewStatus.DELETED or (result.get("type") or v.InterviewType.INTERVIEW) != kind:
            continue
        if target and target not in (definition, result.get("position_id")):
            continue
        if tab and not _tab(tab, result, status):
            continue
        rows.append(result)
    return _narrow_and_sort(rows, params)


def _narrow_and_sort(rows: list, params) -> list:
    """``profile_interview_id`` and ``filter_text``, then ``order_by`` (the keys have the same
    names in a result record, its row and a pre-screening row)."""
    if params.get("profile_interview_id"):
        rows = [r for r in rows if r.get("profile_interview_id") == params["profile_interview_id"]]
    if params.get("filter_text"):
        rows = [r for r in rows
                if c.text_match(params["filter_text"], r.get("candidate_name"), r.get("candidate_email"))]
    order = params.get("order_by") or "created_at_newest"
    if order == "score":
        rows.sort(key=lambda r: (r.get("score") is None, -(r.get("score") or 0)))
    elif order == "updated_at_newest":
        rows.sort(key=lambda r: r.get("updated_at") or "", reverse=True)
    else:
        rows.sort(key=lambda r: r.get("created_at") or "", reverse=order == "created_at_newest")
    return rows
