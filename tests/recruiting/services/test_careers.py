"""recruiting.services.careers: applications, the background pre-screen, the signed iframe URL,
page settings and résumé retention."""

import datetime as dt

import pytest
from django.utils import timezone

from mojito import embed
from mojito.errors import MojitoTransportError, ServerError
from recruiting.models import Application, CareerPage, Invitation, Position
from recruiting.services import careers as svc
from tests.support.careers import ACCEPTED_RESUME, REJECTED_RESUME, make_interview, make_page

pytestmark = pytest.mark.django_db


def submit(page, email="ada@example.com", resume=ACCEPTED_RESUME, name="Ada Lovelace"):
    application, created = svc.application_submit(page=page, name=name, email=email, country_code="GB",
                                                  resume_text=resume)
    return application


def test_submit_stores_the_application_and_the_candidate(sandbox):
    page = make_page()
    application = submit(page)
    assert application.state == Application.State.RECEIVED
    assert application.candidate.email == "ada@example.com"
    again, created = svc.application_submit(page=page, name="x", email="ADA@example.com ", country_code="GB",
                                            resume_text="other")
    assert (again.pk, created) == (application.pk, False)
    assert again.resume_text == ACCEPTED_RESUME


def test_prescreen_through_create_for_candidate_accepts_and_embeds(sandbox, spy):
    page = make_page(embedded=True)
    application = svc.application_prescreen(application_id=submit(page).pk)

    assert application.state == Application.State.DECIDED and application.decision == "ai_accept"
    assert application.is_accepted and application.decided_at
    body = spy.bodies("job-interview-create-for-candidate-with-token")[0]
    assert body["position_external_id"] == f"careers-{page.interview.mojito_id}"
    assert body["candidate_resume"] == ACCEPTED_RESUME and body["candidate_country_code"] == "GB"
    assert body["position_name"] == "Backend engineer" and "is_embedded" not in body
    # The candidate takes the page's own interview (the recruiter's questions), in its signed embed.
    assert application.interview_to_take == page.interview and application.invitation is None
    assert spy.count("job-interview-register-users") == 0
    assert application.prescreening.decision_status == "ai_accept"


def test_an_accepted_candidate_of_an_interview_without_embedding_is_registered(sandbox, spy):
    page = make_page(embedded=False)
    application = svc.application_prescreen(application_id=submit(page).pk)

    assert spy.count("job-interview-register-users") == 1
    assert application.invitation.interview == page.interview
    assert application.invitation.delivery_state == Invitation.DeliveryState.REGISTERED
    assert svc.application_interview_src(application) == application.invitation.interview_url


def test_prescreen_rejects(sandbox):
    application = svc.application_prescreen(application_id=submit(make_page(), resume=REJECTED_RESUME).pk)
    assert application.is_rejected and application.decision == "ai_reject"
    assert svc.application_interview_src(application) is None


def test_a_second_applicant_reuses_the_same_position(sandbox, spy):
    page = make_page()
    first = svc.application_prescreen(application_id=submit(page).pk)
    second = svc.application_prescreen(application_id=submit(page, email="grace@example.com", name="Grace").pk)
    assert first.prescreening.position_id == second.prescreening.position_id
    assert Position.objects.count() == 1 and len(sandbox.state.positions) == 1


def test_prescreen_against_the_interviews_own_position(sandbox, spy):
    from recruiting.services.prescreening import position_upsert

    interview = make_interview()
    position = position_upsert(name="Backend engineer", location="Remote", country_code="GB",
                               mojito_language_code="en", description="Python and Django.", status="active")
    interview.position = position
    interview.save()
    page = make_page(interview)

    application = svc.application_prescreen(application_id=submit(page).pk)

    assert spy.count("job-interview-pre-screening-api-resume-text") == 1
    assert spy.count("job-interview-create-for-candidate-with-token") == 0
    assert application.decision == "ai_accept" and application.interview_to_take == interview
    # Without embedding, an accepted candidate is registered for a personal interview link.
    assert spy.count("job-interview-register-users") == 1
    assert svc.application_interview_src(application) == application.invitation.interview_url


def test_running_twice_screens_once(sandbox, spy):
    application = submit(make_page())
    svc.application_prescreen(application_id=application.pk)
    again = svc.application_prescreen(application_id=application.pk)
    assert again.state == Application.State.DECIDED
    assert spy.count("job-interview-create-for-candidate-with-token") == 1


@pytest.mark.parametrize("fault", [503, 500, "timeout_before_send"])
def test_jobmojito_down_keeps_the_application_and_it_completes_later(sandbox, spy, fault, settings):
    settings.MOJITO_MAX_ATTEMPTS = 1
    application = submit(make_page(embedded=True))
    spy.faults["job-interview-create-for-candidate-with-token"] = [fault] * 10

    with pytest.raises((MojitoTransportError, ServerError)):
        svc.application_prescreen(application_id=application.pk)
    application.refresh_from_db()
    assert application.state == Application.State.WAITING
    assert application.resume_text == ACCEPTED_RESUME and application.last_error

    spy.faults.clear()
    done = svc.application_prescreen(application_id=application.pk)
    assert done.state == Application.State.DECIDED and done.decision == "ai_accept" and done.last_error == ""
    assert done.attempts == 2


@pytest.mark.parametrize("status", [401, 403, 404, 409, 422])
def test_a_refusal_is_recorded_as_failed_not_retried(sandbox, spy, status):
    application = submit(make_page())
    spy.faults["job-interview-create-for-candidate-with-token"] = [status]

    result = svc.application_prescreen(application_id=application.pk)

    assert result.state == Application.State.FAILED and result.last_error
    assert svc.applications_to_retry(older_than=dt.timedelta(0)) == []


def test_a_timeout_after_the_call_was_applied_is_safe_to_repeat(sandbox, spy, settings):
    settings.MOJITO_MAX_ATTEMPTS = 1
    application = submit(make_page())
    spy.faults["job-interview-create-for-candidate-with-token"] = ["timeout_after_send"] * 10
    with pytest.raises(MojitoTransportError):
        svc.application_prescreen(application_id=application.pk)
    spy.faults.clear()
    done = svc.application_prescreen(application_id=application.pk)
    # JobMojito already screened the candidate: it answers "already-applied" with the interview link.
    assert done.state == Application.State.DECIDED and done.decision == "already-applied"
    assert len(sandbox.state.positions) == 1


def test_the_interview_src_is_signed_with_the_interviews_key(sandbox, settings):
    settings.MOJITO_EMBED_BASE_URL = "https://try.interviewmojito.com"
    application = svc.application_prescreen(application_id=submit(make_page(embedded=True)).pk)
    src = svc.application_interview_src(application)
    interview = application.interview_to_take
    key = sandbox.state.embeds[interview.embed_id]["embed_signing_key"]
    assert src == embed.build_embed_url("https://try.interviewmojito.com", interview.embed_id, "Ada Lovelace",
                                        "ada@example.com", key)


def test_applications_to_retry_finds_the_stuck_ones(sandbox):
    page = make_page()
    waiting, done = submit(page), submit(page, email="b@example.com")
    Application.objects.filter(pk=done.pk).update(state=Application.State.DECIDED)
    old = timezone.now() - dt.timedelta(hours=1)
    Application.objects.update(updated_at=old)
    assert svc.applications_to_retry() == [waiting.pk]


def test_resumes_are_deleted_after_the_retention_period(sandbox, settings):
    settings.RESUME_RETENTION_DAYS = 30
    page = make_page()
    old, recent, pending = submit(page), submit(page, email="r@example.com"), submit(page, email="p@example.com")
    Application.objects.exclude(pk=pending.pk).update(state=Application.State.DECIDED)
    Application.objects.filter(pk__in=[old.pk, pending.pk]).update(created_at=timezone.now() - dt.timedelta(days=31))

    assert svc.resumes_purge() == 1

    old.refresh_from_db(), recent.refresh_from_db(), pending.refresh_from_db()
    assert old.resume_text == "" and old.resume_deleted_at
    assert recent.resume_text == ACCEPTED_RESUME
    assert pending.resume_text == ACCEPTED_RESUME  # still needed for its pre-screen
    assert svc.resumes_purge() == 0


def test_page_save_switches_embedding_on_and_off(sandbox, spy):
    interview = make_interview()
    page = CareerPage(interview=interview, slug=svc.career_page_default_slug(interview), enabled=True)
    svc.career_page_save(page=page, embedding=True)
    interview.refresh_from_db()
    assert interview.embed_id and interview.embed_signing_key
    svc.career_page_save(page=page, embedding=True)
    assert spy.count("job-interview-set-state") == 1  # no change, no call
    svc.career_page_save(page=page, embedding=False)
    interview.refresh_from_db()
    assert interview.embed_id == ""


def test_default_slug_is_unique(sandbox):
    first = make_page(slug="backend-engineer")
    other = make_interview()
    assert svc.career_page_default_slug(other) == "backend-engineer-2"
    assert svc.career_page_default_slug(first.interview) == "backend-engineer"


def test_a_candidate_kept_waiting_is_emailed_their_link_once(sandbox, spy, settings, mailoutbox):
    settings.MOJITO_MAX_ATTEMPTS = 1
    page = make_page()
    application, _ = svc.application_submit(page=page, name="Ada", email="ada@example.com", country_code="GB",
                                            resume_text=ACCEPTED_RESUME, site_url="https://jobs.example.com/")
    spy.faults["job-interview-create-for-candidate-with-token"] = [503] * 10
    with pytest.raises(ServerError):
        svc.application_prescreen(application_id=application.pk)
    spy.faults.clear()
    from recruiting import tasks

    tasks.application_prescreen_task.apply(args=[application.pk]).get()
    tasks.application_prescreen_task.apply(args=[application.pk]).get()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@example.com"]
    assert f"https://jobs.example.com/jobs/a/{application.token}/" in message.body
    assert "/embed?" not in message.body


def test_a_candidate_decided_at_once_gets_no_email(sandbox, mailoutbox):
    page = make_page()
    application, _ = svc.application_submit(page=page, name="Ada", email="ada@example.com", country_code="GB",
                                            resume_text=ACCEPTED_RESUME, site_url="https://jobs.example.com/")
    from recruiting import tasks

    tasks.application_prescreen_task.apply(args=[application.pk]).get()
    assert mailoutbox == []


def test_default_slug_leaves_out_bracketed_tags(sandbox):
    interview = make_interview(name="Backend Engineer [12011944-5c78]")
    assert svc.career_page_default_slug(interview) == "backend-engineer"
