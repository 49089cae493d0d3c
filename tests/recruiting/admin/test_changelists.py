"""Every changelist renders, with a query count that does not grow with the rows shown."""

import itertools

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mojito.models import ApiCall, WebhookDelivery
from recruiting.models import (
    BulkInvite,
    BulkInviteRow,
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
from recruiting.selectors.pagination import EstimatedCountPaginator
from tests.recruiting.conftest import (
    make_bulk_invite,
    make_bulk_row,
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

_n = itertools.count()
# session + user + changelist rows + count + date hierarchy bounds, with room for a filter or two.
# On PostgreSQL the paginator adds the pg_class estimate and a statement_timeout-guarded count
# (SAVEPOINT, set_config, COUNT, restore, RELEASE inside the test transaction).
QUERY_BUDGET = 10 if connection.vendor != "postgresql" else 14


def make_api_call():
    return ApiCall.objects.create(endpoint="job-interview-get", method="GET", status_code=200, ok=True)


def make_webhook_delivery():
    return WebhookDelivery.objects.create(
        event="interview_result", result_mojito_id="r-1", dedup_key=f"dedup-{next(_n)}",
        body='{"id": "r-1", "status": "active"}', headers={"content-type": "application/json"},
    )


def make_full_interview():
    template, position = make_template(), make_position()
    return make_interview(template=template, position=position, embed_id="emb", embed_signing_key="sk-never-shown")


def make_full_result():
    return make_result(invitation=make_invitation())


FACTORIES = {
    Interview: make_full_interview,
    InterviewTemplate: make_template,
    Position: make_position,
    Question: make_question,
    Candidate: make_candidate,
    Invitation: make_invitation,
    InterviewResult: make_full_result,
    TranscriptRow: make_transcript_row,
    PreScreening: make_prescreening,
    KnowledgeDocument: make_knowledge_document,
    BulkInvite: lambda: make_bulk_invite(created_by=None),
    BulkInviteRow: make_bulk_row,
    ApiCall: make_api_call,
    WebhookDelivery: make_webhook_delivery,
}


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_project_model_is_registered():
    registered = {m for m in admin.site._registry if m._meta.app_label in ("recruiting", "mojito")}
    assert registered == set(FACTORIES)


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_changelist_query_count_is_constant(superuser_client, model):
    model_admin = admin.site._registry[model]
    assert model_admin.show_full_result_count is False
    assert issubclass(model_admin.paginator, EstimatedCountPaginator)
    url = changelist_url(model)

    FACTORIES[model]()
    superuser_client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as one:
        response = superuser_client.get(url)
    assert response.status_code == 200
    for _ in range(49):
        FACTORIES[model]()
    with CaptureQueriesContext(connection) as fifty:
        response = superuser_client.get(url)
    assert response.status_code == 200
    assert model.objects.count() >= 50
    assert len(fifty) == len(one), [q["sql"] for q in fifty.captured_queries]
    assert len(one) <= QUERY_BUDGET, [q["sql"] for q in one.captured_queries]


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_change_page_renders(superuser_client, model):
    obj = FACTORIES[model]()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert "sk-never-shown" not in response.content.decode()


def test_changelist_search_and_filter(superuser_client):
    candidate = make_candidate(email="findme@example.com")
    make_result(invitation=make_invitation(candidate=candidate), coach_status="abandoned")
    response = superuser_client.get(changelist_url(InterviewResult), {"q": "findme@example.com"})
    assert response.status_code == 200 and response.context["cl"].result_count == 1
    response = superuser_client.get(changelist_url(InterviewResult), {"coach_status__exact": "abandoned"})
    assert response.context["cl"].result_count == 1
