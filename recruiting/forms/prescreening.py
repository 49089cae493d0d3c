"""Pre-screening forms: a position and its rules (pre-screening-create), and a résumé to screen.

``PositionForm.service_fields()`` gives the keyword arguments of ``services.prescreening.position_upsert``;
``ScreeningForm.candidate_answers()`` the ``form`` object of the screening endpoints.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from mojito.vocabulary import (
    EducationLevel,
    Language,
    LanguageLevel,
    PreScreeningStatus,
    PreScreeningType,
    RuleAction,
    RuleId,
    RuleType,
)
from recruiting.forms.uploads import DocumentField
from recruiting.models import Position

COUNTRY = re.compile(r"^[A-Za-z]{2}$")
LANGUAGE_SLOTS = (1, 2, 3)
ACTION_CHOICES = [(RuleAction.MARK_FOR_REVIEW, "Mark for review"), (RuleAction.REJECT, "Reject")]
NO_CHOICE = [("", "—")]

# JobMojito's field names -> this module's form fields (for a 422 that names a field).
POSITION_FIELD_MAP = {
    "position_name": "name", "position_location": "location", "position_country_code": "country_code",
    "mojito_language_code": "language", "position_description": "description",
    "position_description_long": "description_long", "candidate_expectations": "candidate_expectations",
    "resume_score_accept": "resume_score_accept", "resume_score_reject": "resume_score_reject",
    "technical_experience_years": "experience_years", "education": "education", "country": "residency",
    "languages": "language_1", "status": "status",
}
SCREENING_FIELD_MAP = {
    "position_id": "position", "candidate_name": "name", "candidate_email": "email",
    "candidate_country_code": "country_code", "candidate_resume": "resume_text", "file": "resume_file",
    "candidate_linkedin_url": "linkedin_url", "candidate_external_id": "external_id",
    "form": "residency",
}
_RULE_FIELD = re.compile(r"^(?:assessment_rules|form_fields)\[\d+\]\.(\w+)$")


def position_field_map(field: str | None) -> str | None:
    """The form field for a JobMojito field name, including ``assessment_rules[2].resume_score_reject``."""
    if not field:
        return None
    match = _RULE_FIELD.match(field)
    return POSITION_FIELD_MAP.get(match.group(1) if match else field)


def _countries(value: str) -> list[str]:
    codes = [c.strip().upper() for c in re.split(r"[,\s]+", value or "") if c.strip()]
    bad = [c for c in codes if not COUNTRY.match(c)]
    if bad:
        raise ValidationError(f"Use two-letter country codes separated by commas (e.g. DE, FR); "
                              f"not understood: {', '.join(bad)}.", code="country")
    return list(dict.fromkeys(codes))


def _country_code(value: str) -> str:
    value = (value or "").strip()
    if value and not COUNTRY.match(value):
        raise ValidationError("Use the two-letter country code (e.g. DE for Germany).", code="country")
    return value.upper()


class PositionForm(forms.Form):
    required_css_class = "required"

    name = forms.CharField(max_length=255, label="Position name")
    location = forms.CharField(max_length=255, help_text="City or “Remote”, as candidates will read it.")
    country_code = forms.CharField(max_length=2, label="Country", help_text="Two-letter code, e.g. DE.")
    language = forms.ChoiceField(choices=Language.choices, initial=Language.EN,
                                 help_text="The language JobMojito screens and answers in.")
    status = forms.ChoiceField(choices=PreScreeningStatus.choices, initial=PreScreeningStatus.ACTIVE,
                               help_text="Only active positions screen résumés.")
    description = forms.CharField(required=False, max_length=500, label="Short description")
    description_long = forms.CharField(required=False, widget=forms.Textarea, label="Description",
                                       help_text="The job: tasks, stack, team. Résumés are matched against it.")
    candidate_expectations = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                             label="What you expect from candidates")

    resume_score_accept = forms.IntegerField(min_value=0, max_value=10, initial=7, label="Accept from score",
                                             help_text="A résumé match score (0–10) at or above this is accepted.")
    resume_score_reject = forms.IntegerField(min_value=0, max_value=10, initial=3, label="Reject below score",
                                             help_text="Below this it is rejected; in between a recruiter "
                                                       "reviews. 0 never rejects on the score.")
    experience_years = forms.IntegerField(required=False, min_value=0, max_value=60,
                                          label="Minimum years of experience")
    experience_action = forms.ChoiceField(choices=ACTION_CHOICES, initial=RuleAction.MARK_FOR_REVIEW,
                                          label="If fewer years")
    education = forms.ChoiceField(required=False, choices=NO_CHOICE + list(EducationLevel.choices),
                                  label="Minimum education")
    education_action = forms.ChoiceField(choices=ACTION_CHOICES, initial=RuleAction.MARK_FOR_REVIEW,
                                         label="If below")

    residency = forms.CharField(required=False, max_length=300, label="Residency (countries)",
                                help_text="Two-letter codes separated by commas. The candidate says where "
                                          "they live when screened.")
    residency_eu = forms.BooleanField(required=False, label="Any EU country")
    residency_action = forms.ChoiceField(choices=ACTION_CHOICES, initial=RuleAction.MARK_FOR_REVIEW,
                                         label="If elsewhere")
    language_action = forms.ChoiceField(choices=ACTION_CHOICES, initial=RuleAction.MARK_FOR_REVIEW,
                                        label="If a language is missing")

    def __init__(self, *args, position: Position | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if position is not None and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(position)
        super().__init__(*args, **kwargs)
        for n in LANGUAGE_SLOTS:
            self.fields[f"language_{n}"] = forms.ChoiceField(
                required=False, choices=NO_CHOICE + list(Language.choices), label=f"Language {n}")
            self.fields[f"level_{n}"] = forms.ChoiceField(
                required=False, choices=list(LanguageLevel.choices), initial=LanguageLevel.ADVANCED,
                label=f"At least (language {n})")

    @staticmethod
    def initial_from(position: Position) -> dict:
        rules = {r.get("id"): r for r in position.assessment_rules or [] if isinstance(r, dict)}
        raw = position.raw or {}
        initial = {
            "name": position.name, "location": position.location, "country_code": position.country_code,
            "language": position.language, "status": position.status or PreScreeningStatus.DRAFT,
            "description": position.description or "",
            "description_long": raw.get("position_description_long") or "",
            "candidate_expectations": raw.get("candidate_expectations") or "",
        }
        match = rules.get(RuleId.RESUME_MATCH, {})
        initial["resume_score_accept"] = match.get("resume_score_accept", 7)
        initial["resume_score_reject"] = match.get("resume_score_reject", 3)
        if tech := rules.get(RuleId.RESUME_TECHNICAL_EXPERIENCE):
            initial["experience_years"] = tech.get("technical_experience_years")
            initial["experience_action"] = tech.get("action") or RuleAction.MARK_FOR_REVIEW
        if edu := rules.get(RuleId.RESUME_EDUCATION):
            initial["education"] = edu.get("education") or ""
            initial["education_action"] = edu.get("action") or RuleAction.MARK_FOR_REVIEW
        if res := rules.get(RuleId.FORM_RESIDENCY):
            initial["residency"] = ", ".join(res.get("country") or [])
            initial["residency_eu"] = bool(res.get("country_eu"))
            initial["residency_action"] = res.get("action") or RuleAction.MARK_FOR_REVIEW
        if langs := rules.get(RuleId.FORM_LANGUAGES):
            initial["language_action"] = langs.get("action") or RuleAction.MARK_FOR_REVIEW
            for n, item in zip(LANGUAGE_SLOTS, langs.get("languages") or []):
                initial[f"language_{n}"], initial[f"level_{n}"] = item.get("code"), item.get("level")
        return initial

    def clean_country_code(self):
        code = _country_code(self.cleaned_data["country_code"])
        if not code:
            raise ValidationError("Enter the position's country.", code="required")
        return code

    def clean_residency(self):
        return _countries(self.cleaned_data.get("residency", ""))

    def clean(self):
        data = super().clean()
        accept, reject = data.get("resume_score_accept"), data.get("resume_score_reject")
        if accept is not None and reject and reject > accept:
            self.add_error("resume_score_reject", f"Reject below {reject} would reject résumés you accept from "
                                                  f"{accept}: make it at most {accept}.")
        codes = [data.get(f"language_{n}") for n in LANGUAGE_SLOTS if data.get(f"language_{n}")]
        if len(codes) != len(set(codes)):
            self.add_error("language_2", "Each language once.")
        return data

    def languages(self) -> list[dict]:
        return [{"code": self.cleaned_data[f"language_{n}"], "level": self.cleaned_data.get(f"level_{n}")
                 or LanguageLevel.ADVANCED} for n in LANGUAGE_SLOTS if self.cleaned_data.get(f"language_{n}")]

    def assessment_rules(self) -> list[dict]:
        d = self.cleaned_data
        rules = [{"id": RuleId.RESUME_MATCH, "resume_score_accept": d["resume_score_accept"],
                  "resume_score_reject": d["resume_score_reject"]}]
        if d.get("experience_years"):
            rules.append({"id": RuleId.RESUME_TECHNICAL_EXPERIENCE,
                          "technical_experience_years": d["experience_years"], "action": d["experience_action"]})
        if d.get("education"):
            rules.append({"id": RuleId.RESUME_EDUCATION, "type": RuleType.SCREENING, "education": d["education"],
                          "action": d["education_action"]})
        if d.get("residency") or d.get("residency_eu"):
            rule = {"id": RuleId.FORM_RESIDENCY, "type": RuleType.SCREENING, "action": d["residency_action"],
                    "country": d.get("residency") or []}
            if d.get("residency_eu"):
                rule["country_eu"] = True
            rules.append(rule)
        if self.languages():
            rules.append({"id": RuleId.FORM_LANGUAGES, "type": RuleType.SCREENING, "action": d["language_action"],
                          "languages": self.languages()})
        return rules

    def service_fields(self) -> dict:
        """Keyword arguments for ``position_upsert``: form rules make it a résumé-with-form position."""
        d = self.cleaned_data
        rules = self.assessment_rules()
        form_rules = [r["id"] for r in rules if str(r["id"]).startswith("form_")]
        return {
            "name": d["name"], "location": d["location"], "country_code": d["country_code"],
            "mojito_language_code": d["language"], "status": d["status"],
            "description": d.get("description") or "", "description_long": d.get("description_long") or "",
            "candidate_expectations": d.get("candidate_expectations") or "",
            "assessment_rules": rules,
            "type": PreScreeningType.RESUME_WITH_FORM if form_rules else PreScreeningType.RESUME,
            "form_fields": [{"id": rule_id, "mandatory": True} for rule_id in form_rules],
        }


class ScreeningForm(forms.Form):
    required_css_class = "required"

    position = forms.ModelChoiceField(queryset=Position.objects.none(), empty_label="Choose a position")
    name = forms.CharField(max_length=255, label="Candidate name")
    email = forms.EmailField(label="Candidate email")
    country_code = forms.CharField(required=False, max_length=2, label="Country",
                                   help_text="Where the candidate lives (two-letter code); used for residency "
                                             "rules when no residency is given below.")
    resume_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 10}),
                                  label="Paste the résumé")
    resume_file = DocumentField(max_bytes_setting="RESUME_MAX_BYTES", required=False,
                                label="…or upload it")
    residency = forms.CharField(required=False, max_length=2, label="Lives in",
                                help_text="Two-letter country code, when the position has a residency rule.")
    education = forms.ChoiceField(required=False, choices=NO_CHOICE + list(EducationLevel.choices),
                                  label="Highest education (as the candidate states it)")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.exclude(mojito_id__isnull=True).order_by("name", "pk")
        for n in (1, 2):
            self.fields[f"language_{n}"] = forms.ChoiceField(
                required=False, choices=NO_CHOICE + list(Language.choices), label=f"Speaks (language {n})")
            self.fields[f"level_{n}"] = forms.ChoiceField(
                required=False, choices=list(LanguageLevel.choices), initial=LanguageLevel.FLUENT,
                label=f"Level (language {n})")

    def clean_country_code(self):
        return _country_code(self.cleaned_data.get("country_code", ""))

    def clean_residency(self):
        return _country_code(self.cleaned_data.get("residency", ""))

    def clean(self):
        data = super().clean()
        text = (data.get("resume_text") or "").strip()
        upload = data.get("resume_file")
        if "resume_file" in self.errors:
            return data
        if text and upload:
            self.add_error("resume_text", "Paste the résumé or upload a file, not both.")
        elif not text and not upload:
            self.add_error("resume_text", "Paste the résumé here, or upload it as a file below.")
        return data

    def candidate_answers(self) -> dict | None:
        d = self.cleaned_data
        answers = {}
        if d.get("education"):
            answers["education"] = d["education"]
        if d.get("residency"):
            answers["residency"] = d["residency"]
        languages = [{"code": d[f"language_{n}"], "level": d.get(f"level_{n}") or LanguageLevel.FLUENT}
                     for n in (1, 2) if d.get(f"language_{n}")]
        if languages:
            answers["languages"] = languages
        return answers or None
