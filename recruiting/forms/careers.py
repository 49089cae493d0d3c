"""Forms of the candidate pages (public apply form) and of their dashboard settings.

The apply form does not rely on Django's CSRF cookie: inside an employer's iframe the browser
treats our cookies as third-party and may drop them whatever their SameSite flag (Safari, and
Chrome with third-party cookies off). It carries its own signed form token instead (``form_token``:
the page's slug and the time it was issued, signed with SECRET_KEY under a purpose-specific salt,
valid CAREERS_FORM_MAX_AGE seconds), so the form works in any frame without any cookie. The apply
view is ``csrf_exempt`` because of that and sets no cookie at all.
"""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from recruiting.forms.uploads import check_document, size_text
from recruiting.models import CareerPage
from recruiting.models.careers import RESERVED_SLUGS

FORM_TOKEN_SALT = "recruiting.careers.apply-form"
MIN_RESUME_CHARS = 30


def issue_form_token(slug: str) -> str:
    return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(slug)


def check_form_token(token: str, slug: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign(token or "", max_age=settings.CAREERS_FORM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return False
    return value == slug


def document_error_message(code: str, *, filename: str, max_bytes: int) -> str:
    """The candidate-facing (translatable) words for a document the shared checks refused (by its code)."""
    name = os.path.basename(filename or "") or _("The file")
    messages = {
        "too_large": _("“%(name)s” is too large: the limit is %(limit)s. Upload a smaller file or paste the text."),
        "type_mismatch": _("“%(name)s” is named like a PDF or Word file but its content is not. "
                           "Upload a real PDF, Word (.docx) or text file, or paste the text."),
        "unsupported_type": _("“%(name)s” is not a PDF, Word (.docx) or text file. "
                              "Save your résumé in one of those formats, or paste the text."),
        "encrypted": _("“%(name)s” is password-protected. Upload a copy without a password, or paste the text."),
        "no_text": _("“%(name)s” has no readable text (a scanned image?). "
                     "Upload a file with selectable text, or paste the text."),
    }
    template = messages.get(code, _("“%(name)s” could not be read. Upload another file, or paste the text."))
    return template % {"name": name, "limit": size_text(max_bytes)}


class ApplyForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email"), max_length=254,
                             help_text=_("We use it only for this application."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    country = forms.CharField(label=_("Country"), min_length=2, max_length=2,
                              help_text=_("Two-letter country code, e.g. US, GB, DE."),
                              widget=forms.TextInput(attrs={"autocomplete": "country", "size": 4}))
    resume_file = forms.FileField(label=_("Résumé file"), required=False,
                                  help_text=_("PDF, Word (.docx) or plain text."),
                                  widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt,text/plain,"
                                                                         "application/pdf"}))
    resume_text = forms.CharField(label=_("…or paste your résumé"), required=False, max_length=100_000,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    consent = forms.BooleanField(label=_("I have read the notice above and agree that an AI pre-screens my "
                                         "résumé and conducts the interview; a person makes the decision."),
                                 error_messages={"required": _("Please tick this box to apply: the process "
                                                               "cannot go on without it.")})
    # Honeypot: hidden from people (CSS and aria-hidden); a bot that fills it is turned away.
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, slug: str, **kwargs):
        self.slug = slug
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = issue_form_token(slug)
        self.extracted_text = ""
        self.extracted_from = ""

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            # A form shown again (with errors) carries a fresh token, so sending it again works.
            self.data = self.data.copy()
            self.data["form_token"] = issue_form_token(self.slug)

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def clean_country(self):
        value = self.cleaned_data["country"].strip().upper()
        if not value.isalpha():
            raise ValidationError(_("Enter a two-letter country code, e.g. US."), code="country")
        return value

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        if not check_form_token(token, self.slug):
            raise ValidationError(_("This form has expired. Check your details and send it again."), code="expired")
        return token

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("resume_file")
        pasted = (cleaned.get("resume_text") or "").strip()
        limit = int(settings.RESUME_MAX_BYTES)
        if upload:
            try:
                extracted = check_document(upload, max_bytes=limit)
            except ValidationError as exc:
                self.add_error("resume_file", document_error_message(exc.code, filename=upload.name, max_bytes=limit))
                return cleaned
            self.extracted_text, self.extracted_from = extracted.text, os.path.basename(upload.name)[:255]
        elif pasted:
            self.extracted_text = pasted
        else:
            self.add_error("resume_file", _("Upload your résumé or paste its text."))
            return cleaned
        if len(self.extracted_text.strip()) < MIN_RESUME_CHARS:
            field = "resume_file" if upload else "resume_text"
            self.add_error(field, _("This résumé has almost no text. Add your experience and skills."))
        return cleaned


class CareerPageForm(forms.ModelForm):
    embedding = forms.BooleanField(
        label=_("Let candidates take the interview inside the page"), required=False,
        help_text=_("Turns on JobMojito's signed embed for this interview: accepted candidates start at once, "
                    "without an email code."))

    class Meta:
        model = CareerPage
        fields = ["enabled", "slug", "country_code", "description_long", "ai_notice", "allowed_origins"]
        labels = {
            "enabled": _("Candidate pages on"),
            "slug": _("Address"),
            "country_code": _("Country of the position"),
            "description_long": _("Long description"),
            "ai_notice": _("AI notice"),
            "allowed_origins": _("Sites that may embed these pages"),
        }
        help_texts = {
            "slug": _("The job page lives at /jobs/<address>/. Letters, digits and hyphens."),
            "ai_notice": _("Shown before candidates apply. Leave blank for the standard notice."),
            "allowed_origins": _("One origin per line, e.g. https://careers.example.com (besides the app's "
                                 "EMBED_ALLOWED_ORIGINS)."),
        }
        widgets = {"description_long": forms.Textarea(attrs={"rows": 5}),
                   "ai_notice": forms.Textarea(attrs={"rows": 3}),
                   "allowed_origins": forms.Textarea(attrs={"rows": 3})}

    def clean_slug(self):
        slug = slugify(self.cleaned_data["slug"])
        if not slug:
            raise ValidationError(_("Use letters, digits and hyphens."), code="slug")
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("“%(slug)s” is reserved; choose another address.") % {"slug": slug},
                                  code="reserved")
        return slug

    def clean_country_code(self):
        value = self.cleaned_data["country_code"].strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise ValidationError(_("Enter a two-letter country code, e.g. US."), code="country")
        return value

    def clean_allowed_origins(self):
        from urllib.parse import urlsplit

        lines = [line.strip().rstrip("/") for line in self.cleaned_data["allowed_origins"].splitlines() if line.strip()]
        for line in lines:
            parts = urlsplit(line)
            if parts.scheme not in ("https", "http") or not parts.netloc or parts.path or parts.query:
                raise ValidationError(
                    _("“%(line)s” is not an origin. Write scheme and host only, e.g. https://careers.example.com.")
                    % {"line": line}, code="origin")
        return "\n".join(lines)
