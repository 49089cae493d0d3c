"""Forms of the results pages: a review decision, a report export, the interview's auto-retry setting."""

from __future__ import annotations

from django import forms

from mojito.vocabulary import ExportType, ReportTemplate
from recruiting.models import ReviewDecision


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=ReviewDecision.choices, widget=forms.RadioSelect, label="Your decision")
    note = forms.CharField(required=False, max_length=4000, label="Note",
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Why, for your team (kept in this app; JobMojito does not receive it).")
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    export_type = forms.ChoiceField(choices=ExportType.choices, initial=ExportType.PDF, label="Format")
    template = forms.ChoiceField(choices=[("", "JobMojito's default"), *ReportTemplate.choices], required=False,
                                 label="Layout")


class AutoRetryForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Offer another attempt automatically")
