"""job-interview-pdf for the sandbox (API reference 2.16): a real PDF (reportlab), an HTML
document, or the JSON export, honouring the section toggles of ``export_features_result`` and the
``template`` (classic / modern / one_pager).

PDFs are stored in ``state.reports`` and served at ``GET /reports/<id>.pdf`` until
``pdf_export_valid_until`` (24 h; afterwards 410 Gone), like JobMojito's signed URLs. A report in
another language than the result's (``features.mojito_language_code``) counts as translated and
costs 0.1 credit per result. The sandbox does not translate; it marks the report as translated.
"""

from __future__ import annotations

import base64
import html
import importlib
import io
import os
from datetime import datetime, timedelta, timezone

from mojito.sandbox.http import Response
from mojito.sandbox.state import new_id, now_iso
from mojito.vocabulary import CreditEvent, ExportType, ReportTemplate

VALID_FOR = timedelta(hours=24)
TRANSLATION_CREDITS = 0.1
DEFAULT_FEATURES = {
    "contact_details": True, "ai_recruiter_assessment": True, "ai_scoring_rubric": False,
    "analytics": True, "transcript": True, "files": True, "answer_recording": False,
    "session_recording": False, "group_by_question": False,
}
TITLES = {
    ReportTemplate.CLASSIC: "Interview report",
    ReportTemplate.MODERN: "Candidate interview report (modern)",
    ReportTemplate.ONE_PAGER: "Interview one-pager",
}
FONT_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)
FONT_BOLD_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",)


def _state(sandbox):
    return getattr(sandbox, "state", sandbox)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def resolve_features(features: dict | None, template: str | None) -> tuple[dict, str]:
    merged = dict(DEFAULT_FEATURES)
    merged.update({k: v for k, v in (features or {}).items() if v is not None})
    chosen = template or merged.get("template") or ReportTemplate.CLASSIC.value
    if chosen not in ReportTemplate.values:
        chosen = ReportTemplate.CLASSIC.value
    merged["template"] = chosen
    if not merged.get("ai_recruiter_assessment"):
        merged["ai_scoring_rubric"] = False  # "only with ai_recruiter_assessment=true"
    return merged, chosen


# --- content model shared by the three formats ---------------------------------------------------
def _why(result: dict, key: str) -> list[str]:
    reasons = ((result.get("ai_analysis_other") or {}).get("hiring_reasons") or {}).get(key)
    if reasons is None:
        reasons = result.get("ai_analysis_recruiter_why_hire" if key == "reasons_to_hire" else "ai_analysis_recruiter_why_not_hire")
    if isinstance(reasons, str):
        return [reasons]
    return [str(r) for r in reasons or []]


def _answers(result: dict) -> list[dict]:
    return [row for row in result.get("transcript") or [] if row.get("is_answer")]


def sections(state, result: dict, features: dict, template: str, language: str | None) -> list[tuple[str, list]]:
    """The report as (heading, items) pairs; an item is a str (paragraph), ("kv", k, v),
    ("bullet", text) or ("qa", question, answer, score, analysis)."""
    profile = state.profiles.get(result.get("profile_id") or "") or {}
    interview = state.interviews.get(result.get("interview_id") or "") or {}
    out: list[tuple[str, list]] = []
    candidate = [("kv", "Name", result.get("candidate_name") or profile.get("name") or "")]
    if features.get("contact_details"):
        candidate += [
            ("kv", "Email", result.get("candidate_email") or profile.get("email") or ""),
            ("kv", "Phone", profile.get("phone_number") or profile.get("phone") or "-"),
            ("kv", "LinkedIn", profile.get("linkedin_url") or "-"),
            ("kv", "External id", result.get("candidate_external_id") or profile.get("external_id") or "-"),
        ]
    out.append(("Candidate", candidate))
    score = result.get("score")
    out.append(("Interview", [
        ("kv", "Interview", interview.get("name") or result.get("position_name") or ""),
        ("kv", "Status", f"{result.get('status')} / {result.get('coach_status')} / {result.get('processing_status')}"),
        ("kv", "Score", "-" if score is None else f"{score} / 10"),
        ("kv", "Recruiter AI score", "-" if result.get("score_interview_ai") is None else f"{result['score_interview_ai']} / 5"),
        ("kv", "Completed", result.get("end") or "-"),
        ("kv", "Language", language or result.get("mojito_language_code") or "en"),
    ]))
    if features.get("ai_recruiter_assessment"):
        items: list = [result.get("ai_analysis_recruiter") or "No assessment yet."]
        items.append(("kv", "Why hire", ""))
        items += [("bullet", r) for r in _why(result, "reasons_to_hire")] or [("bullet", "(none)")]
        items.append(("kv", "Why not hire", ""))
        items += [("bullet", r) for r in _why(result, "reasons_not_to_hire")] or [("bullet", "(none)")]
        out.append(("AI recruiter assessment", items))
    if features.get("ai_scoring_rubric"):
        buckets = {"Strong": [], "Moderate": [], "Weak": []}
        for row in _answers(result):
            s = row.get("score")
            if s is None:
                continue
            buckets["Strong" if s >= 4 else "Moderate" if s >= 3 else "Weak"].append(row.get("question_asked") or "")
        out.append(("Scoring rubric", [("bullet", f"{k}: {len(v)} answer(s)" + (f" - {'; '.join(v)}" if v else ""))
                                         for k, v in buckets.items()]))
    if features.get("analytics"):
        rows = []
        for i, row in enumerate(_answers(result), start=1):
            words = len((row.get("answer") or "").split())
            seconds = (row.get("duration") or 0) / 10
            wpm = round(words / seconds * 60) if seconds else 0
            rows.append(("kv", f"Answer {i}", f"{seconds:.1f} s, {words} words, {wpm} words/min"))
        rows.append(("kv", "Sentiment", str(result.get("score_sentiment") if result.get("score_sentiment") is not None else "-")))
        out.append(("Analytics", rows))
    if features.get("transcript"):
        limit = 240 if template == ReportTemplate.ONE_PAGER else None
        qa = []
        for row in _answers(result):
            answer = row.get("answer") or ""
            if limit and len(answer) > limit:
                answer = answer[:limit] + "..."
            qa.append(("qa", row.get("question_asked") or "", answer, row.get("score"), row.get("ai_analysis_recruiter") or ""))
        out.append(("Transcript", qa or ["No answers recorded."]))
    if features.get("files"):
        out.append(("Files", ["No files were uploaded for this candidate."]))
    return out


def _item_text(item) -> str:
    if isinstance(item, str):
        return item
    kind = item[0]
    if kind == "kv":
        return f"{item[1]}: {item[2]}" if item[2] != "" else f"{item[1]}:"
    if kind == "bullet":
        return f"- {item[1]}"
    return f"Q: {item[1]}\nA: {item[2]}\nScore: {item[3] if item[3] is not None else '-'} {item[4]}"


# --- PDF -----------------------------------------------------------------------------------------
_FONTS: tuple[str, str] | None = None


def _fonts() -> tuple[str, str]:
    """A Unicode TrueType font when the machine has one (names in any script), else Helvetica."""
    global _FONTS
    if _FONTS is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        regular = next((p for p in FONT_CANDIDATES if os.path.exists(p)), None)
        bold = next((p for p in FONT_BOLD_CANDIDATES if os.path.exists(p)), None)
        try:
            if regular and bold:
                pdfmetrics.registerFont(TTFont("SandboxSans", regular))
                pdfmetrics.registerFont(TTFont("SandboxSans-Bold", bold))
                _FONTS = ("SandboxSans", "SandboxSans-Bold")
        except Exception:
            _FONTS = None
        if _FONTS is None:
            _FONTS = ("Helvetica", "Helvetica-Bold")
    return _FONTS


def build_pdf(state, results: list[dict], features: dict, template: str, language: str | None,
              translated: bool) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts()
    accent = colors.HexColor("#2b6cb0") if template == ReportTemplate.MODERN else colors.black
    small = template == ReportTemplate.ONE_PAGER
    base = 8.5 if small else 10
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=14 if small else 18, leading=22, textColor=accent, spaceAfter=6),
        "h": ParagraphStyle("h", fontName=bold, fontSize=base + 2, leading=base + 6, textColor=accent, spaceBefore=6, spaceAfter=3),
        "p": ParagraphStyle("p", fontName=regular, fontSize=base, leading=base + 3),
        "b": ParagraphStyle("b", fontName=regular, fontSize=base, leading=base + 3, leftIndent=10),
    }

    def para(text, style="p"):
        return Paragraph(html.escape(str(text)).replace("\n", "<br/>"), styles[style])

    story = []
    title = TITLES.get(template, TITLES[ReportTemplate.CLASSIC])
    if translated:
        title += f" [translated: {language}]"
    story.append(para(title, "title"))
    if template == ReportTemplate.MODERN:
        band = Table([[para("JobMojito sandbox", "p")]], colWidths=[170 * mm])
        band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#e6eef8"))]))
        story += [band, Spacer(1, 4)]
    for index, result in enumerate(results):
        if index and not small:
            story.append(PageBreak())
        for heading, items in sections(state, result, features, template, language):
            story.append(para(heading, "h"))
            kv = [[para(i[1]), para(i[2])] for i in items if isinstance(i, tuple) and i[0] == "kv" and i[2] != ""]
            if kv and template != ReportTemplate.ONE_PAGER:
                table = Table(kv, colWidths=[45 * mm, 125 * mm])
                table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))
                story.append(table)
                rest = [i for i in items if not (isinstance(i, tuple) and i[0] == "kv" and i[2] != "")]
            else:
                rest = items
            for item in rest:
                story.append(para(_item_text(item), "b" if isinstance(item, tuple) and item[0] == "bullet" else "p"))
                if isinstance(item, tuple) and item[0] == "qa":
                    story.append(Spacer(1, 3))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="JobMojito sandbox",
                            leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
    doc.build(story)
    return buffer.getvalue()


# --- HTML and JSON -------------------------------------------------------------------------------
def build_html(state, results: list[dict], features: dict, template: str, language: str | None,
               translated: bool) -> str:
    title = TITLES.get(template, TITLES[ReportTemplate.CLASSIC]) + (f" [translated: {language}]" if translated else "")
    parts = [f"<!DOCTYPE html>\n<html lang=\"{html.escape(language or 'en')}\"><head><meta charset=\"utf-8\">"
             f"<title>{html.escape(title)}</title></head><body class=\"report-{html.escape(template)}\">",
             f"<h1>{html.escape(title)}</h1>"]
    for result in results:
        parts.append(f"<article data-result-id=\"{html.escape(result.get('id') or '')}\">")
        for heading, items in sections(state, result, features, template, language):
            parts.append(f"<section><h2>{html.escape(heading)}</h2>")
            for item in items:
                if isinstance(item, str):
                    parts.append(f"<p>{html.escape(item)}</p>")
                elif item[0] == "kv":
                    parts.append(f"<p><strong>{html.escape(item[1])}</strong> {html.escape(str(item[2]))}</p>")
                elif item[0] == "bullet":
                    parts.append(f"<ul><li>{html.escape(item[1])}</li></ul>")
                else:
                    parts.append(f"<div class=\"qa\"><p><strong>Q:</strong> {html.escape(item[1])}</p>"
                                 f"<p><strong>A:</strong> {html.escape(item[2])}</p>"
                                 f"<p>Score: {html.escape(str(item[3]))} {html.escape(item[4])}</p></div>")
            parts.append("</section>")
        parts.append("</article>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _json_data(state, result: dict, features: dict) -> dict:
    state_module = importlib.import_module("mojito.sandbox.state")
    details = getattr(state_module, "result_details", None)
    if details is not None:
        data = details(result)
    else:
        data = {k: v for k, v in result.items() if not k.startswith("_")}
    data = dict(data)
    data.setdefault("id", result.get("id"))
    if not features.get("transcript"):
        data.pop("transcript", None)
    if not features.get("contact_details"):
        data.pop("candidate_email", None)
    if not features.get("ai_recruiter_assessment"):
        for key in ("ai_analysis_recruiter", "ai_analysis_recruiter_why_hire", "ai_analysis_recruiter_why_not_hire"):
            data.pop(key, None)
        other = dict(data.get("ai_analysis_other") or {})
        other.pop("hiring_reasons", None)
        data["ai_analysis_other"] = other
    return data


def _table(results: list[dict]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(str(r.get('candidate_name') or ''))}</td><td>{html.escape(str(r.get('position_name') or ''))}</td>"
        f"<td>{html.escape(str(r.get('score')))}</td><td>{html.escape(str(r.get('status')))}</td></tr>"
        for r in results)
    return f"<table><thead><tr><th>Candidate</th><th>Interview</th><th>Score</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>"


# --- entry points --------------------------------------------------------------------------------
def _charge_translation(state, results: list[dict], language: str) -> None:
    try:
        credits = importlib.import_module("mojito.sandbox.credits")
    except ImportError:
        credits = None
    for result in results:
        if credits is not None and hasattr(credits, "charge_translation"):
            credits.charge_translation(state, result, language)
        elif credits is not None and hasattr(credits, "charge"):
            credits.charge(state, CreditEvent.CANDIDATE_REPORT_TRANSLATION.value, TRANSLATION_CREDITS,
                           object_uuid=result.get("id"))
        else:
            state.credit_ledger.append({
                "id": new_id(), "event_date": now_iso(), "event": CreditEvent.CANDIDATE_REPORT_TRANSLATION.value,
                "credit_amount": TRANSLATION_CREDITS, "object_uuid": result.get("id"),
            })


def render(sandbox, results: list[dict], export_type: str, features: dict | None = None,
           template: str | None = None, *, charge_translation: bool = False) -> dict:
    """The job-interview-pdf response body for these results (already resolved and validated).

    The job-interview-pdf handler charges translations itself, so by default this does not;
    ``charge_translation=True`` (the lifecycle's automatic PDF) charges 0.1 per translated result."""
    state = _state(sandbox)
    features, template = resolve_features(features, template)
    language = features.get("mojito_language_code")
    translated = bool(language) and any(language != (r.get("mojito_language_code") or "en") for r in results)
    with state.lock:
        if translated and charge_translation:
            _charge_translation(state, [r for r in results if language != (r.get("mojito_language_code") or "en")],
                               language)
        if export_type == ExportType.HTML:
            return {"html_export": build_html(state, results, features, template, language, translated)}
        if export_type == ExportType.JSON:
            export: dict = {"results": [{"data": _json_data(state, r, features), "files": []} for r in results]}
            if len(results) > 1:
                export["table"] = _table(results)
            return {"json_export": export}
        pdf = build_pdf(state, results, features, template, language, translated)
        report_id = new_id()
        valid_until = _iso(_utcnow() + VALID_FOR)
        state.reports[report_id] = {
            "id": report_id, "kind": "pdf", "result_ids": [r.get("id") for r in results],
            "pdf_base64": base64.b64encode(pdf).decode("ascii"), "template": template,
            "features": features, "mojito_language_code": language, "translated": translated,
            "created_at": now_iso(), "valid_until": valid_until,
        }
        base = (getattr(sandbox, "base_url", None) or state.config.base_url or "").rstrip("/")
        return {"pdf_export_url": f"{base}/reports/{report_id}.pdf", "pdf_export_valid_until": valid_until}


def serve(sandbox, report_id: str) -> Response:
    """``GET /reports/<id>.pdf``: the stored PDF, 404 unknown, 410 after its expiry."""
    state = _state(sandbox)
    report = state.reports.get(report_id)
    if not report or not report.get("pdf_base64"):
        return Response.error(404, "Report not found.")
    try:
        expires = datetime.fromisoformat(report["valid_until"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        expires = _utcnow()
    if _utcnow() >= expires:
        return Response.error(410, "This report link has expired.")
    return Response(status=200, body=base64.b64decode(report["pdf_base64"]), content_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="report-{report_id}.pdf"',
                             "Cache-Control": "private, no-store"})
