"""/knowledge/: what was uploaded to which store and when; uploading a checked document."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recruiting.models import KnowledgeDocument
from recruiting.forms.questions import QuestionForm
from tests.mojito.test_documents import png, reportlab_pdf, scanned_pdf, word_docx
from tests.recruiting.conftest import make_knowledge_document
from tests.recruiting.views.test_prescreening import break_sandbox, messages_of

pytestmark = pytest.mark.django_db

LIST, UPLOAD = reverse("knowledge:list"), reverse("knowledge:upload")
STORE = "7d2f9a1e-1111-4222-8333-944455556666"


def upload_data(filename="handbook.pdf", content=None, **overrides):
    content = content if content is not None else reportlab_pdf("Refunds take 5 days")
    data = {"store_id": STORE, "name": "", "file": SimpleUploadedFile(filename, content)}
    data.update(overrides)
    return data


@pytest.mark.parametrize("url", [LIST, UPLOAD])
def test_it_sends_anonymous_visitors_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_uploads_a_document_and_lists_it(recruiter_client, sandbox):
    response = recruiter_client.post(UPLOAD, upload_data(), follow=True)
    doc = KnowledgeDocument.objects.get()
    remote = sandbox.state.knowledge_docs[doc.mojito_id]
    assert remote["knowledge_base_store_id"] == STORE and remote["name"] == "handbook.pdf"
    assert "Refunds take 5 days" in remote["text"]
    assert doc.content_type == "application/pdf" and doc.size == remote["size"]
    page = response.content.decode()
    assert "was uploaded to store" in page and "handbook.pdf" in page and STORE[:10] in page


def test_a_name_keeps_the_extension_of_what_the_file_is(recruiter_client, sandbox):
    recruiter_client.post(UPLOAD, upload_data("notes.docx", word_docx("Holiday policy"), name="Holiday policy"))
    doc = KnowledgeDocument.objects.get()
    assert doc.name == "Holiday policy.docx"
    assert sandbox.state.knowledge_docs[doc.mojito_id]["name"] == "Holiday policy.docx"


@pytest.mark.parametrize(("name", "data", "words"), [
    ("policy.pdf", png(), "named like a PDF but is a .png file"),
    ("scan.pdf", scanned_pdf(), "looks like a scanned image"),
    ("logo.png", png(), "is a .png file"),
    ("empty.txt", b"", "empty"),
])
def test_an_unusable_document_is_refused_on_the_file_field(recruiter_client, sandbox, name, data, words):
    response = recruiter_client.post(UPLOAD, upload_data(name, data))
    assert response.status_code == 422
    assert words in " ".join(response.context["form"].errors["file"])
    assert f'value="{STORE}"' in response.content.decode()
    assert not sandbox.state.knowledge_docs


def test_the_size_limit_is_the_knowledge_setting(recruiter_client, sandbox, settings):
    settings.KNOWLEDGE_DOCUMENT_MAX_BYTES = 1024
    response = recruiter_client.post(UPLOAD, upload_data("big.txt", b"word " * 500))
    assert "the limit is 1 KB" in " ".join(response.context["form"].errors["file"])


def test_a_store_is_required(recruiter_client, sandbox):
    response = recruiter_client.post(UPLOAD, upload_data(store_id="  "))
    assert response.status_code == 422 and response.context["form"].errors["store_id"]


def test_a_jobmojito_refusal_of_the_store_lands_on_the_store_field(recruiter_client, sandbox, monkeypatch):
    from mojito.sandbox.api import knowledge as remote
    from mojito.sandbox.validation import invalid

    def refuse(sandbox, request):
        raise invalid("knowledge_base_store_id does not name a store of this merchant.", "knowledge_base_store_id")

    monkeypatch.setattr(remote, "handle_knowledge_base_document_upload", refuse)
    response = recruiter_client.post(UPLOAD, upload_data())
    assert response.status_code == 422
    assert response.context["form"].errors["store_id"] == [
        "knowledge_base_store_id does not name a store of this merchant."]


@pytest.mark.parametrize(("breakage", "words"), [
    ("wrong_token", "Check MOJITO_API_TOKEN"),
    ("5xx", "JobMojito did not answer. Nothing was lost"),
    ("drop", "JobMojito did not"),
])
def test_upload_when_jobmojito_fails(recruiter_client, sandbox, settings, breakage, words):
    break_sandbox(sandbox, settings, breakage)
    response = recruiter_client.post(UPLOAD, upload_data())
    assert words in messages_of(response)
    assert KnowledgeDocument.objects.count() == 0
    assert f'value="{STORE}"' in response.content.decode()


def test_known_stores_are_suggested_and_filterable(recruiter_client):
    make_knowledge_document(store_id="store-a", name="Handbook")
    make_knowledge_document(store_id="store-b", name="Pricing")
    assert '<option value="store-a">' in recruiter_client.get(UPLOAD).content.decode()
    docs = lambda q: {d.name for d in recruiter_client.get(LIST + q).context["page"]}  # noqa: E731
    assert docs("?store=store-b") == {"Pricing"}
    assert docs("?q=hand") == {"Handbook"}
    assert docs("?sort=name") == {"Handbook", "Pricing"}


def test_the_empty_list_says_what_to_do(recruiter_client):
    page = recruiter_client.get(LIST).content.decode()
    assert "No documents yet" in page and UPLOAD in page


def test_the_list_makes_the_same_queries_for_1_and_50_documents(assert_same_queries):
    def make_rows(n):
        for i in range(n):
            make_knowledge_document(store_id=f"store-{i % 7}")

    assert_same_queries(LIST, make_rows)


def test_an_uploaded_document_can_be_picked_in_the_question_form(recruiter_client, sandbox):
    recruiter_client.post(UPLOAD, upload_data("pricing.txt", b"Plans: basic, pro.", name="Pricing"))
    doc = KnowledgeDocument.objects.get()
    choices = [label for _, label in QuestionForm().fields["knowledge_document"].choices]
    assert doc.name == "Pricing.txt" and "Pricing.txt" in [str(c) for c in choices]
