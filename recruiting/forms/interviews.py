"""The three create forms, one per API path (job-interview-create, -create-from-array,
-create-for-candidate-with-token); choices from mojito.vocabulary, templates from the synced list.

Each form's ``service_kwargs()`` gives the keyword arguments of its service, and ``FIELD_MAP``
maps JobMojito's field names (an ``InvalidRequest.field``) to the form's own.
"""

from __future__ import annotations

from django import forms
from django.conf import settings

from mojito.documents import ACCEPTED, DocumentError, extract_text
from mojito.vocabulary import CreateStatus, CreateType, CreateVisibility, InterviewStyle, Language, SeniorityLevel
from recruiting.selectors.interviews import positions, template_label, usable_templates


def _blank(choices, label="—"):
    return [("", label), *choices]


class TemplateField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return template_label(obj)


def template_field(*, required=True):
    return TemplateField(
        queryset=usable_templates(), required=required, widget=forms.RadioSelect, empty_label=None if required else "JobMojito’s default interviewer",
        label="Interviewer template",
        help_text="Who asks the questions: a video avatar or a voice. The cost is charged per interview taken "
                  "(20 min or less; longer interviews cost more).",
        error_messages={"required": "Choose an interviewer template.",
                        "invalid_choice": "That template can no longer be used; choose another."})


class InterviewBasicsForm(forms.Form):
    """What every interview needs: the fields all three create endpoints require."""

    required_css_class = "required"

    FIELD_MAP = {"mojito_language_code": "language", "interview_template_id": "template",
                 "interview_type": "interview_style", "seniority_level": "seniority",
                 "interview_length": "length", "candidate_expectations": "candidate_expectations"}

    name = forms.CharField(max_length=255, label="Interview name", help_text="The job title candidates see.")
    location = forms.CharField(max_length=255, help_text="Where the job is: a city, or “Remote”.")
    language = forms.ChoiceField(choices=Language.choices, initial=Language.EN,
                                 help_text="The language the interview is held in.")
    type = forms.ChoiceField(choices=CreateType.choices, initial=CreateType.INTERVIEW, label="Type")
    visibility = forms.ChoiceField(choices=CreateVisibility.choices, initial=CreateVisibility.MERCHANT_INVITE,
                                   help_text="Invite only: only people you invite can take it.")
    status = forms.ChoiceField(choices=CreateStatus.choices, initial=CreateStatus.DRAFT, label="Start as",
                               help_text="A draft can be checked before you publish it.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["template"] = template_field()

    def basics(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "location": data["location"], "mojito_language_code": data["language"],
                "type": data["type"], "visibility": data["visibility"], "status": data["status"],
                "interview_template_id": data["template"].mojito_id}


class FromDescriptionForm(InterviewBasicsForm):
    """job-interview-create: JobMojito writes the questions from the description."""

    interview_style = forms.ChoiceField(choices=_blank(InterviewStyle.choices, "Pre-screening (default)"),
                                        required=False, label="Interview style")
    seniority = forms.ChoiceField(choices=_blank(SeniorityLevel.choices, "Decide from the description"),
                                  required=False)
    length = forms.IntegerField(min_value=1, max_value=40, required=False, label="Number of questions",
                                help_text="Between 1 and 40. Leave empty to let JobMojito decide.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Job description",
                                  help_text="Paste the job ad or describe the role; the questions are written from it.")
    candidate_expectations = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                             help_text="What a strong candidate shows (skills, experience).")

    field_order = ["name", "location", "language", "type", "visibility", "status", "template",
                   "description", "candidate_expectations", "interview_style", "seniority", "length"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = self.basics() | {"description": data["description"]}
        for key, value in (("candidate_expectations", data["candidate_expectations"]),
                           ("interview_type", data["interview_style"]), ("seniority_level", data["seniority"]),
                           ("interview_length", data["length"])):
            if value not in (None, ""):
                kwargs[key] = value
        return kwargs


class FromQuestionsForm(InterviewBasicsForm):
    """job-interview-create-from-array: the recruiter's own questions (a QuestionFormSet beside it)."""

    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Job description",
                                  help_text="Shown to candidates before they start.")

    field_order = ["name", "location", "language", "type", "visibility", "status", "template", "description"]


class ForCandidateForm(forms.Form):
    """job-interview-create-for-candidate-with-token: a position, one candidate, the decision, a link."""

    required_css_class = "required"

    FIELD_MAP = {"mojito_language_code": "language", "interview_template_id": "template",
                 "position_def_set_id": "position", "candidate_resume": "resume_text"}

    candidate_name = forms.CharField(max_length=255, label="Candidate’s name")
    candidate_email = forms.EmailField(label="Candidate’s email")
    candidate_country_code = forms.CharField(min_length=2, max_length=2, label="Candidate’s country",
                                             help_text="Two-letter country code, e.g. DE, GB, US.")
    resume_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False, label="Résumé as text",
                                  help_text="Paste the résumé, or upload a file below.")
    resume_file = forms.FileField(required=False, label="…or a résumé file", help_text=f"{ACCEPTED[0].upper()}{ACCEPTED[1:]}.")
    position = forms.ModelChoiceField(queryset=positions(), required=False, label="Existing position",
                                      empty_label="A new position (fill in below)",
                                      help_text="Pick one to add this candidate to it, or describe a new one.")
    position_name = forms.CharField(max_length=255, required=False, label="Position name")
    position_location = forms.CharField(max_length=255, required=False, label="Position location")
    position_country_code = forms.CharField(min_length=2, max_length=2, required=False, label="Position country",
                                            help_text="Two-letter country code.")
    language = forms.ChoiceField(choices=_blank(Language.choices), required=False, initial=Language.EN,
                                 help_text="The language the interview is held in.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["template"] = template_field(required=False)
        self.fields["template"].initial = ""
        self.fields["position"].queryset = positions()

    def clean_candidate_country_code(self):
        return self.cleaned_data["candidate_country_code"].strip().upper()

    def clean_position_country_code(self):
        return self.cleaned_data["position_country_code"].strip().upper()

    def clean(self):
        data = super().clean()
        upload = data.get("resume_file")
        text = (data.get("resume_text") or "").strip()
        if upload and text:
            self.add_error("resume_file", "Give the résumé as text or as a file, not both.")
        elif upload:
            try:
                limit = settings.RESUME_MAX_BYTES
                text = extract_text(upload.read(limit + 1), filename=upload.name, max_bytes=limit).text.strip()
            except DocumentError as exc:
                self.add_error("resume_file", exc.message)
        elif not text:
            self.add_error("resume_text", "Paste the résumé or upload it as a file.")
        data["resume"] = text
        if not data.get("position"):
            for name in ("position_name", "position_location", "position_country_code", "language"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Needed for a new position (or pick an existing one above).")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"candidate_name": data["candidate_name"], "candidate_email": data["candidate_email"],
                  "candidate_country_code": data["candidate_country_code"], "candidate_resume": data["resume"]}
        if data.get("position"):
            kwargs["position_def_set_id"] = data["position"].mojito_id
        else:
            kwargs |= {"position_name": data["position_name"], "position_location": data["position_location"],
                       "position_country_code": data["position_country_code"],
                       "mojito_language_code": data["language"]}
        if data.get("template"):
            kwargs["interview_template_id"] = data["template"].mojito_id
        return kwargs

