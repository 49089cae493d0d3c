"""Forms of the invite page: one person, a CSV upload, and the confirmation of a previewed CSV."""

from __future__ import annotations

from django import forms

from recruiting.models import BulkInvite

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

DELIVERY_CHOICES = [
    (BulkInvite.Delivery.LINKS, "Just give me the links — no email is sent; you get a personal interview link "
                                "for each person to send yourself"),
    (BulkInvite.Delivery.EMAIL, "JobMojito emails the invitations — each person gets an email with their "
                                "interview link (uses your invitation allowance)"),
]
TEST_HELP = "Results of test invitations are marked as tests. Only with links: JobMojito's emails have no test mode."


class DeliveryFields(forms.Form):
    delivery = forms.ChoiceField(
        label="How should people get their invitation?", choices=DELIVERY_CHOICES,
        initial=BulkInvite.Delivery.LINKS, widget=forms.RadioSelect)
    is_test = forms.BooleanField(label="Test mode", required=False, help_text=TEST_HELP)
    message_from_recruiter = forms.CharField(
        label="Message in the email", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional; added to JobMojito's invitation email.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delivery") == BulkInvite.Delivery.EMAIL and cleaned.get("is_test"):
            self.add_error("is_test", "Test mode works only with links: JobMojito's invitation emails have no "
                                      "test mode. Untick it, or choose “Just give me the links”.")
        return cleaned


class InviteOneForm(DeliveryFields):
    name = forms.CharField(label="Name", max_length=255, required=False)
    email = forms.EmailField(label="Email", max_length=254)
    external_id = forms.CharField(label="External id", max_length=128, required=False,
                                  help_text="Optional: your own id for this person (e.g. from your ATS).")

    field_order = ["name", "email", "external_id", "delivery", "is_test", "message_from_recruiter"]


class InviteCsvForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, email, external id (optional). A header row is optional; commas or semicolons. "
                  "Nothing is sent until you have checked the preview.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 1024 // 1024} MB. "
                "Split it into smaller files.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty. Expected columns: name, email, external id.")
        return upload


class BulkConfirmForm(DeliveryFields):
    """Sending a previewed bulk invite."""
