"""State actions on the interview page: publish, unpublish, archive and delete (confirmed), embedding,
re-sync, and fetching templates; each against the sandbox, with its error paths."""

import pytest

from recruiting.models import InterviewTemplate
from recruiting.services.interviews import interview_create_from_questions
from tests.support.mojito_faults import MojitoFaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(sandbox):
    from mojito.sandbox.seed import TEMPLATE_IDS

    return interview_create_from_questions(
        name="Warehouse lead", location="Leeds", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        description="Run the night shift.", questions=["Tell us about a shift that went wrong."], status="draft")


def remote(sandbox, interview):
    return sandbox.state.interviews[interview.mojito_id]


def follow(client, url, data=None):
    return client.post(url, data or {}, follow=True)


def test_it_publishes_and_unpublishes(recruiter_client, sandbox, interview):
    response = follow(recruiter_client, f"/interviews/{interview.pk}/publish/")
    assert "published" in response.content.decode()
    assert remote(sandbox, interview)["status"] == "active"
    interview.refresh_from_db()
    assert interview.status == "active"
    response = follow(recruiter_client, f"/interviews/{interview.pk}/unpublish/")
    assert "is a draft again" in response.content.decode()
    assert remote(sandbox, interview)["status"] == "draft"


@pytest.mark.parametrize("action", ["publish", "unpublish", "embedding", "resync"])
def test_post_only_actions_answer_405_to_get(recruiter_client, interview, action):
    assert recruiter_client.get(f"/interviews/{interview.pk}/{action}/").status_code == 405
    assert recruiter_client.get("/interviews/templates/sync/").status_code == 405


def test_archive_asks_first_and_says_what_happens(recruiter_client, sandbox, interview):
    response = recruiter_client.get(f"/interviews/{interview.pk}/archive/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Archive this interview?" in html and "“Warehouse lead”" in html
    assert "candidates can no longer start it" in html and "0 invitations and 0 results stay here" in html
    assert remote(sandbox, interview)["status"] == "draft"  # nothing happened yet
    recruiter_client.post(f"/interviews/{interview.pk}/archive/")  # no confirm=yes: still only asks
    assert remote(sandbox, interview)["status"] == "draft"
    response = follow(recruiter_client, f"/interviews/{interview.pk}/archive/", {"confirm": "yes"})
    assert "archived" in response.content.decode()
    assert remote(sandbox, interview)["status"] == "archived"
    interview.refresh_from_db()
    assert interview.status == "archived"


def test_delete_asks_first_then_goes_back_to_the_list(recruiter_client, sandbox, interview):
    html = recruiter_client.get(f"/interviews/{interview.pk}/delete/").content.decode()
    assert "Delete this interview?" in html and "cannot be restored" in html and "btn-danger" in html
    response = recruiter_client.post(f"/interviews/{interview.pk}/delete/", {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/interviews/"
    assert remote(sandbox, interview)["status"] == "deleted"


def test_embedding_on_and_off(recruiter_client, sandbox, interview):
    response = follow(recruiter_client, f"/interviews/{interview.pk}/embedding/", {"enabled": "1"})
    html = response.content.decode()
    assert "Embedding is on" in html and "Turn embedding off" in html
    interview.refresh_from_db()
    assert interview.is_embedded and interview.embed_signing_key not in html
    response = follow(recruiter_client, f"/interviews/{interview.pk}/embedding/", {"enabled": "0"})
    assert "Embedding is off" in response.content.decode()
    interview.refresh_from_db()
    assert not interview.is_embedded


def test_resync_brings_in_what_changed_in_jobmojito(recruiter_client, sandbox, interview):
    remote(sandbox, interview)["name"] = "Warehouse team lead"
    response = follow(recruiter_client, f"/interviews/{interview.pk}/resync/")
    assert "Up to date with JobMojito" in response.content.decode()
    interview.refresh_from_db()
    assert interview.name == "Warehouse team lead"


def test_templates_can_be_fetched_before_the_first_create(recruiter_client, sandbox):
    html = recruiter_client.get("/interviews/new/").content.decode()
    assert "No interviewer templates are known here yet" in html
    response = recruiter_client.post("/interviews/templates/sync/", {"next": "https://evil.example/"})
    assert response["Location"] == "/interviews/new/"  # never an outside redirect
    assert InterviewTemplate.objects.filter(is_legacy=False).count() == 3
    html = recruiter_client.get("/interviews/new/").content.decode()
    assert "No interviewer templates" not in html


# --- error paths -------------------------------------------------------------------------------

@pytest.mark.parametrize("fault, words", [
    ("refuse_token", "MOJITO_API_TOKEN"),
    ("forbid_token", "not allowed"),
    ("server_error", "JobMojito did not answer. Nothing was lost"),
    ("timeout", "JobMojito did not answer. Nothing was lost"),
])
@pytest.mark.parametrize("action", ["publish", "archive", "embedding", "resync"])
def test_a_failed_action_says_what_to_do_and_changes_nothing(recruiter_client, sandbox, settings, interview,
                                                              fault, words, action):
    faults = MojitoFaults(sandbox, settings)
    getattr(faults, fault)()
    response = follow(recruiter_client, f"/interviews/{interview.pk}/{action}/", {"confirm": "yes", "enabled": "1"})
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/interviews/{interview.pk}/"
    assert words in html and "Sandbox fault" not in html
    interview.refresh_from_db()
    assert interview.status == "draft" and not interview.is_embedded
    assert remote(sandbox, interview)["status"] == "draft"


def test_an_interview_gone_from_jobmojito_is_reported_not_crashed(recruiter_client, sandbox, settings, interview):
    MojitoFaults(sandbox, settings)
    del sandbox.state.interviews[interview.mojito_id]
    for action in ("publish", "resync"):
        html = follow(recruiter_client, f"/interviews/{interview.pk}/{action}/").content.decode()
        assert "JobMojito no longer has this interview" in html
    interview.refresh_from_db()
    assert interview.status == "draft"


def test_a_conflict_shows_jobmojitos_reason(recruiter_client, sandbox, settings, interview):
    faults = MojitoFaults(sandbox, settings)
    faults.answer("job-interview-set-state", 409, "The interview has running sessions.")
    html = follow(recruiter_client, f"/interviews/{interview.pk}/publish/").content.decode()
    assert "refused because of the current state: The interview has running sessions." in html
    assert remote(sandbox, interview)["status"] == "draft"


def test_an_invalid_state_change_names_the_field(recruiter_client, sandbox, settings, interview):
    faults = MojitoFaults(sandbox, settings)
    faults.answer("job-interview-set-state", 422, "status must be one of ...", "status")
    html = follow(recruiter_client, f"/interviews/{interview.pk}/publish/").content.decode()
    assert "JobMojito refused the request (status): status must be one of ..." in html


def test_an_anonymous_action_goes_to_login(client, interview):
    response = client.post(f"/interviews/{interview.pk}/publish/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
