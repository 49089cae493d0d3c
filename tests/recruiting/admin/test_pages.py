"""Change pages: raw payload pretty and escaped, secrets never shown, read-only boundary rows."""

import pytest
from django.urls import reverse

from mojito.models import ApiCall, WebhookDelivery
from recruiting.services.upserts import interview_upsert_from_payload
from tests.recruiting.conftest import make_bulk_invite, make_bulk_row, make_interview, make_invitation, make_result

pytestmark = pytest.mark.django_db

SIGNING_KEY = "embed-key-DO-NOT-SHOW-4242"


def admin_url(obj, action="change"):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[obj.pk])


def test_raw_payload_renders_pretty_and_escaped(superuser_client):
    interview = interview_upsert_from_payload(
        {"name": "<script>alert(1)</script>", "status": "active", "nested": {"a": [1, 2]}},
        mojito_id="int-raw",
    )
    html = superuser_client.get(admin_url(interview)).content.decode()
    assert '<pre class="raw-payload"' in html
    assert '&quot;nested&quot;: {\n    &quot;a&quot;: [\n      1,' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_embed_signing_key_never_appears_in_admin_html(superuser_client):
    interview = interview_upsert_from_payload(
        {"interview_def_set_id": "int-emb", "name": "Embedded", "embed_id": "emb-1", "embed_signing_key": SIGNING_KEY}
    )
    interview.raw = {"embed_signing_key": SIGNING_KEY, "name": "forced into raw"}
    interview.save()
    pages = [
        reverse("admin:recruiting_interview_changelist"),
        reverse("admin:recruiting_interview_changelist") + "?q=emb-1",
        admin_url(interview),
        admin_url(interview, "history"),
        admin_url(interview, "delete"),
    ]
    for url in pages:
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        assert SIGNING_KEY not in response.content.decode(), url
    change = superuser_client.get(admin_url(interview)).content.decode()
    assert "embed signing key" in change.lower() and ">set<" in change.replace("\n", "").replace(" ", "")


def test_saving_interview_in_admin_changes_no_mirrored_field_and_keeps_the_key(superuser_client):
    interview = make_interview(embed_id="emb-2", embed_signing_key=SIGNING_KEY, name="Old")
    data = {
        "name": "New", "status": "active", "type": "interview", "visibility": "", "language": "en", "location": "",
        "template": "", "template_type": "", "interview_style": "", "seniority": "", "max_duration": "",
        "description": "", "creation_method": "", "is_multistage": "", "position": "",
        "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
    }
    response = superuser_client.post(admin_url(interview), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    interview.refresh_from_db()
    # Mirrored fields are read-only in the admin (a hand edit would never reach JobMojito and be
    # overwritten at the next sync): the posted name is ignored, the key is kept.
    assert interview.name == "Old" and interview.embed_signing_key == SIGNING_KEY


def test_interview_url_is_masked(superuser_client):
    invitation = make_invitation(interview_url="https://try.example/i/ONE-TIME-TOKEN")
    row = make_bulk_row(make_bulk_invite(), interview_url="https://try.example/i/ONE-TIME-TOKEN")
    for url in (admin_url(invitation), admin_url(row), reverse("admin:recruiting_invitation_changelist"),
                reverse("admin:recruiting_bulkinviterow_changelist"), admin_url(row.bulk)):
        html = superuser_client.get(url).content.decode()
        assert "ONE-TIME-TOKEN" not in html, url


def test_result_change_page_shows_transcript_inline(superuser_client):
    result = make_result()
    result.transcript_rows.create(position=0, is_answer=True, question="Why us?", answer="Because.")
    html = superuser_client.get(admin_url(result)).content.decode()
    assert "Why us?" in html and "Because." in html


@pytest.mark.parametrize("model", [ApiCall, WebhookDelivery])
def test_boundary_rows_are_view_only(superuser_client, model):
    from django.contrib import admin

    model_admin = admin.site._registry[model]
    request = type("R", (), {"user": None})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    meta = model._meta
    assert superuser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403


def test_webhook_body_shown_pretty(superuser_client):
    delivery = WebhookDelivery.objects.create(
        event="interview_result", result_mojito_id="r-9", dedup_key="d-9",
        body='{"id": "r-9", "status": "active"}', headers={"content-type": "application/json"},
    )
    response = superuser_client.get(admin_url(delivery))
    assert response.status_code == 200
    html = response.content.decode()
    assert '{\n  &quot;id&quot;: &quot;r-9&quot;,\n  &quot;status&quot;: &quot;active&quot;\n}' in html
    response = superuser_client.post(admin_url(delivery, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()
