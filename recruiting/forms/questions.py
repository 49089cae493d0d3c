"""The recruiter's own questions: a formset that adds, removes and reorders rows without losing what
was typed, and without JavaScript (submit buttons named ``add_question``, ``remove_<i>``, ``up_<i>``,
``down_<i>``; ``edit_questions`` rewrites the posted rows and the page is shown again).

Each row has a stable hidden ``key`` (q1, q2, ...): a follow-up names the key of its earlier
question, so moving rows keeps the link, and the key is sent as the question's local ``id``
(JobMojito resolves ``conditional_question_main_id`` against the ids of the same request).
"""

from __future__ import annotations

import re

from django import forms
from django.forms import BaseFormSet, formset_factory

from recruiting.selectors.interviews import knowledge_documents

PREFIX = "questions"
MAX_QUESTIONS = 40
ROW_FIELDS = ("key", "text", "duration", "is_without_scoring", "is_multiple_choice", "alternatives", "follows_up",
              "knowledge_document")
CHECKBOXES = ("is_without_scoring", "is_multiple_choice")
ACTION = re.compile(r"^(remove|up|down)_(\d+)$")
# JobMojito's per-question field names -> this form's.
QUESTION_FIELD_MAP = {"question": "text", "duration": "duration", "is_without_scoring": "is_without_scoring",
                      "is_multiple_choice": "is_multiple_choice", "question_alternatives": "alternatives",
                      "conditional_question_main_id": "follows_up", "is_conditional": "follows_up",
                      "knowledge_base_id": "knowledge_document", "id": "text"}
API_QUESTION_FIELD = re.compile(r"^questions\[(\d+)\]\.(\w+)$")


class KnowledgeDocumentField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or str(obj)


class QuestionForm(forms.Form):
    required_css_class = "required"
    key = forms.CharField(widget=forms.HiddenInput, max_length=16)
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Write the question, or remove this row."})
    duration = forms.IntegerField(label="Answer time (seconds)", required=False, min_value=10, max_value=600,
                                  help_text="10 to 600 seconds. Empty: JobMojito’s default.")
    is_without_scoring = forms.BooleanField(label="Not scored (asked, but left out of the score)", required=False)
    is_multiple_choice = forms.BooleanField(label="Multiple choice", required=False)
    alternatives = forms.CharField(label="Answer options, one per line", required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="For a multiple-choice question: at least two options.")
    follows_up = forms.ChoiceField(label="Follow-up of", required=False, choices=[("", "— not a follow-up")],
                                   help_text="Asked only after the question it follows up.",
                                   error_messages={"invalid_choice": "A follow-up must come after the question it "
                                                   "follows: move it below that question, or choose another."})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["knowledge_document"] = KnowledgeDocumentField(
            queryset=knowledge_documents(), required=False, empty_label="— none", label="Knowledge document",
            help_text="A document from your knowledge base the interviewer checks the answer against.")

    def clean(self):
        data = super().clean()
        options = [line.strip() for line in (data.get("alternatives") or "").splitlines() if line.strip()]
        data["alternative_list"] = options
        if data.get("is_multiple_choice") and len(options) < 2:
            self.add_error("alternatives", "A multiple-choice question needs at least two answer options, one per line.")
        if options and not data.get("is_multiple_choice"):
            self.add_error("is_multiple_choice", "Tick “Multiple choice” to use the answer options, or clear them.")
        return data

    def payload(self) -> dict:
        data = self.cleaned_data
        item = {"question": data["text"].strip(), "id": data["key"]}
        if data.get("duration"):
            item["duration"] = data["duration"]
        if data.get("is_without_scoring"):
            item["is_without_scoring"] = True
        if data.get("is_multiple_choice"):
            item["is_multiple_choice"] = True
            item["question_alternatives"] = data["alternative_list"]
        if data.get("follows_up"):
            item["is_conditional"] = True
            item["conditional_question_main_id"] = data["follows_up"]
        if data.get("knowledge_document"):
            item["knowledge_base_id"] = data["knowledge_document"].mojito_id
        return item


class BaseQuestionFormSet(BaseFormSet):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        rows = [(form.data.get(form.add_prefix("key")) if self.is_bound else (form.initial.get("key")),
                 form.data.get(form.add_prefix("text")) if self.is_bound else form.initial.get("text"))
                for form in self.forms]
        documents = list(knowledge_documents())  # one query for every row's choices
        for index, form in enumerate(self.forms):
            form.number = index + 1
            earlier = [(key, f"Question {n + 1}: {_short(text)}") for n, (key, text) in enumerate(rows[:index]) if key]
            form.fields["follows_up"].choices = [("", "— not a follow-up"), *earlier]
            form.fields["knowledge_document"].choices = [("", "— none")] + [(d.pk, d.name or str(d)) for d in documents]

    def clean(self):
        if any(self.errors):
            return
        if not [f for f in self.forms if f.cleaned_data]:
            raise forms.ValidationError("Add at least one question.")
        keys = [f.cleaned_data.get("key") for f in self.forms]
        if len(set(keys)) != len(keys):
            raise forms.ValidationError("Two questions have the same key; reload the page and try again.")

    def payload(self) -> list[dict]:
        return [form.payload() for form in self.forms]

    def place_api_error(self, field: str | None, message: str) -> bool:
        """Put JobMojito's ``questions[i].<name>`` error on that row's field; True when placed."""
        match = API_QUESTION_FIELD.match(field or "")
        if match:
            index, name = int(match.group(1)), match.group(2)
            if index < len(self.forms):
                self.forms[index].add_error(QUESTION_FIELD_MAP.get(name) if QUESTION_FIELD_MAP.get(name) else None,
                                            message)
                return True
        if field == "questions":
            self._non_form_errors = self.error_class([message], renderer=self.renderer)
            return True
        return False


QuestionFormSet = formset_factory(QuestionForm, formset=BaseQuestionFormSet, extra=0, max_num=MAX_QUESTIONS,
                                  validate_max=True, absolute_max=MAX_QUESTIONS)


def _short(text, n=50) -> str:
    text = " ".join((text or "").split()) or "(not written yet)"
    return text if len(text) <= n else text[: n - 1] + "…"


def first_rows() -> list[dict]:
    return [{"key": "q1"}]


# --- add / remove / reorder ---------------------------------------------------------------------

def _posted_rows(data) -> list[dict]:
    try:
        total = min(int(data.get(f"{PREFIX}-TOTAL_FORMS", 0)), MAX_QUESTIONS)
    except (TypeError, ValueError):
        total = 0
    rows = []
    for index in range(total):
        row = {}
        for name in ROW_FIELDS:
            value = data.get(f"{PREFIX}-{index}-{name}")
            row[name] = bool(value) if name in CHECKBOXES else (value or "")
        rows.append(row)
    return rows


def _next_key(rows) -> str:
    numbers = [int(r["key"][1:]) for r in rows if re.fullmatch(r"q\d+", r.get("key") or "")]
    return f"q{max(numbers, default=0) + 1}"


def edit_questions(data) -> list[dict] | None:
    """The question rows after the add / remove / move button that was pressed, or None when the
    post is the real submit. Unknown or out-of-range buttons leave the rows as they were."""
    rows = _posted_rows(data)
    for row in rows:  # a row posted without its key (hand-made request) still needs one
        if not row["key"]:
            row["key"] = _next_key(rows)
    if "add_question" in data:
        if len(rows) < MAX_QUESTIONS:
            rows.append({"key": _next_key(rows)})
        return rows
    for name in data:
        match = ACTION.match(name)
        if not match:
            continue
        action, index = match.group(1), int(match.group(2))
        if not 0 <= index < len(rows):
            return rows
        if action == "remove":
            removed = rows.pop(index)
            for row in rows:
                if row.get("follows_up") == removed["key"]:
                    row["follows_up"] = ""
        elif action == "up" and index > 0:
            rows[index - 1], rows[index] = rows[index], rows[index - 1]
        elif action == "down" and index < len(rows) - 1:
            rows[index + 1], rows[index] = rows[index], rows[index + 1]
        return rows
    return None
