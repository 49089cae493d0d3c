"""Mirrors of JobMojito are read-only in the admin, with no "add": changes go through the actions."""

import pytest
from django.contrib import admin
from django.urls import reverse

from recruiting.models import (
    Candidate,
    Interview,
    InterviewResult,
    InterviewTemplate,
    Invitation,
    KnowledgeDocument,
    Position,
    PreScreening,
    Question,
    TranscriptRow,
)
from tests.recruiting.conftest import (
    make_candidate,
    make_interview,
    make_invitation,
    make_knowledge_document,
    make_position,
    make_prescreening,
    make_question,
    make_result,
    make_template,
    make_transcript_row,
)

pytestmark = pytest.mark.django_db

MIRRORS = {Interview: make_interview, Question: make_question, InterviewTemplate: make_template,
           Position: make_position, Candidate: make_candidate, Invitation: make_invitation,
           InterviewResult: make_result, TranscriptRow: make_transcript_row, PreScreening: make_prescreening,
           KnowledgeDocument: make_knowledge_document}


def url(model, view, *args):
    return reverse(f"admin:recruiting_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MIRRORS, ids=lambda m: m.__name__)
def test_it_offers_no_add(superuser_client, model):
    assert superuser_client.get(url(model, "add")).status_code == 403
    assert f'href="{url(model, "add")}"' not in superuser_client.get(url(model, "changelist")).content.decode()


@pytest.mark.parametrize("model", MIRRORS, ids=lambda m: m.__name__)
def test_its_change_page_has_no_editable_mirrored_field(superuser_client, model):
    obj = MIRRORS[model]()
    response = superuser_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    local = set(getattr(admin.site._registry[model], "local_fields", ()))
    assert set(form.fields) <= local
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission and not inline.has_change_permission


def test_a_posted_change_to_a_result_changes_nothing(superuser_client):
    result = make_result(score=4.0)
    before = InterviewResult.objects.filter(pk=result.pk).values().get()
    superuser_client.post(url(InterviewResult, "change", result.pk), {"score": "9.5", "status": "archived"})
    assert InterviewResult.objects.filter(pk=result.pk).values().get() == before
