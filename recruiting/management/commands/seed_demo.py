"""`manage.py seed_demo`: a realistic demo built through the services (hence the real client).

It talks to whatever ``MOJITO_API_BASE_URL`` points at, and refuses to run against a server that
is not the sandbox (``GET {origin}/sandbox/api/ping`` must answer ``{"sandbox": true}``) unless
given ``--allow-real``, because against JobMojito it would spend real credits.

The demo is one hiring team's month (``recruiting.management.demo_data``): five interviews made
from a description or from the team's own questions, one made for a single candidate; drafts,
published and archived ones; CSV uploads with a typo and a repeated row; invitations by link and
by email, some that failed while JobMojito was down; results over the last 30 days. Running it
again finds what the earlier run made (interviews by name, uploads by file name, results by
invitation) and adds nothing twice.

Against the sandbox it also plays the candidates through sandbox-only endpoints outside
JobMojito's API, called here with urllib: ``POST /sandbox/api/complete`` (answer or abandon,
``taken_at`` to date the attempt), ``POST /sandbox/api/config`` (switch faults on and off), and the
interview link itself (opening it starts an attempt).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mojito.models import ApiCall
from mojito.vocabulary import (
    FAILED_COACH_STATUSES,
    AvatarStatus,
    AvatarTemplateType,
    InterviewStatus,
    PreScreeningStatus,
    ProcessingStatus,
    ResultStatus,
)
from recruiting.management import demo_data as data

# The [CORE] endpoints of the API reference; the demo must call each at least once.
CORE_ENDPOINTS = (
    "job-interview-create", "job-interview-create-from-array", "job-interview-create-for-candidate-with-token",
    "job-interview-get", "job-interview-set-state", "job-interview-token", "job-interview-register-users",
    "job-interview-details", "job-interview-pdf", "job-interview-result-request-another-attempt",
    "knowledge-base-document-upload", "pre-screening-create", "job-interview-pre-screening-api-resume-text",
    "job-interview-pre-screening-api-resume-binary", "invite-users", "merchant-avatar-list",
)
DEFAULT_STORE_ID = "5e3d0c1a-7d3b-4f43-9a55-0d3e00000001"  # any id works in the sandbox


def api_origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def _post_json(url: str, body: dict, timeout: float = 30) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the sandbox
        return json.loads(response.read() or b"{}")


def is_sandbox(origin: str, timeout: float = 5.0) -> bool:
    """True when ``origin`` answers the sandbox's ping with {"sandbox": true}."""
    try:
        with urllib.request.urlopen(f"{origin}/sandbox/api/ping", timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read() or b"{}").get("sandbox") is True
    except (OSError, ValueError, urllib.error.URLError):
        return False


def sandbox_complete(origin: str, profile_interview_id: str, outcome: str, taken_at: dt.datetime | None = None) -> str:
    """Play the candidate in the sandbox: submit or abandon the interview; returns the result id."""
    body = {"profile_interview_id": profile_interview_id, "outcome": outcome}
    if taken_at is not None:
        body["taken_at"] = taken_at.isoformat()
    return _post_json(f"{origin}/sandbox/api/complete", body)["interview_result_id"]


def sandbox_open(url: str) -> None:
    """Open a candidate's interview link (the sandbox starts the attempt)."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a sandbox link
        response.read()


def sandbox_faults(origin: str, on: bool) -> None:
    _post_json(f"{origin}/sandbox/api/config", {"fault_rate": 1.0 if on else 0.0, "fault_kinds": ["503"]})


class Command(BaseCommand):
    help = ("Build a demo hiring month through the services against MOJITO_API_BASE_URL: interviews made three "
            "ways in every state, CSV uploads, invitations by link and by email, results over 30 days, "
            "pre-screenings, a knowledge document and a report. Safe to run again. Refuses a non-sandbox server "
            "without --allow-real.")

    def add_arguments(self, parser):
        parser.add_argument("--allow-real", action="store_true",
                            help="Run against a server that is not the sandbox (spends real JobMojito credits).")
        parser.add_argument("--knowledge-store", default=DEFAULT_STORE_ID,
                            help="knowledge_base_store_id to upload the demo document to.")

    # --- plumbing ---------------------------------------------------------------------------------

    def step(self, title: str, fn, *args, **kwargs):
        """Run one step; a failure is reported and the demo goes on (so one run shows every problem)."""
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            self.failures.append(f"{title}: {type(exc).__name__}: {exc}")
            self.stderr.write(self.style.ERROR(f"  ✗ {title}: {type(exc).__name__}: {exc}"))
            return None
        self.stdout.write(f"  ✓ {title}")
        return value

    def handle(self, *args, **options):
        base_url = settings.MOJITO_API_BASE_URL
        self.origin = api_origin(base_url)
        self.sandbox = is_sandbox(self.origin)
        if not self.sandbox and not options["allow_real"]:
            raise CommandError(
                f"{self.origin} is not a JobMojito sandbox (GET {self.origin}/sandbox/api/ping did not answer "
                '{"sandbox": true}). The demo would spend real credits: start the sandbox '
                "(python manage.py mojito_sandbox) and point MOJITO_API_BASE_URL at it, or pass --allow-real.")
        self.failures: list[str] = []
        started = timezone.now()
        self.stdout.write(f"Seeding the demo against {base_url} ({'sandbox' if self.sandbox else 'REAL JobMojito'})")

        synced = self.sync_templates()
        interviews = self.make_interviews()
        for_candidate = self.make_candidate_interview()
        self.publish(interviews)
        self.seed_candidate_pages([interviews.get("support"), interviews.get("backend")])
        jobs = self.upload_and_send(interviews)
        self.invite_by_email(interviews)
        self.fail_one_invitation(interviews)
        results = self.take_interviews(interviews) if self.sandbox else []
        self.reconcile()
        self.finish_states(interviews)
        self.prescreen()
        self.upload_knowledge(options["knowledge_store"])
        self.reports_and_links(results, jobs)
        all_interviews = list(interviews.values()) + ([for_candidate] if for_candidate else [])
        self.summarise(started, all_interviews, jobs, results, synced)

    # --- steps ------------------------------------------------------------------------------------

    def sync_templates(self):
        from recruiting.services import templates

        synced = self.step("synced avatar templates (merchant-avatar-list)", templates.templates_sync)
        self.template = self.pick_template()
        if self.template is None:
            raise CommandError("No usable avatar template (active, not legacy) after the template sync.")
        return synced

    @staticmethod
    def pick_template():
        from recruiting.models import InterviewTemplate

        usable = InterviewTemplate.objects.filter(is_legacy=False).exclude(
            status__in=[AvatarStatus.ARCHIVED, AvatarStatus.DELETED])
        preferred = usable.filter(type__in=[AvatarTemplateType.INTERACTIVE_HEYGEN,
                                            AvatarTemplateType.INTERACTIVE_ELEVENLABS]).order_by("name").first()
        return preferred or usable.order_by("name").first()

    @staticmethod
    def existing_interview(name: str, **filters):
        """The interview an earlier run made, if JobMojito still has it (refreshed from there)."""
        from mojito.errors import NotFound
        from recruiting.models import Interview
        from recruiting.services.interviews import interview_refresh

        local = Interview.objects.filter(name=name, **filters).exclude(status=InterviewStatus.DELETED).first()
        if local is None:
            return None
        try:
            return interview_refresh(interview=local)
        except NotFound:
            return None

    def make_interviews(self) -> dict:
        from recruiting.services import interviews as services

        made = {}
        for spec in data.INTERVIEWS:
            found = self.existing_interview(spec.name)
            if found is not None:
                self.stdout.write(f"  = {spec.name!r} exists already")
                made[spec.key] = found
                continue
            common = {"name": spec.name, "location": spec.location, "interview_template_id": self.template.mojito_id,
                      "description": spec.description, **spec.options}
            if spec.how == "questions":
                created = self.step(f"{spec.name!r} from our own questions (job-interview-create-from-array)",
                                    services.interview_create_from_questions, questions=list(spec.questions), **common)
            else:
                created = self.step(f"{spec.name!r} from its description (job-interview-create)",
                                    services.interview_create_from_description, **common)
            if created is not None:
                made[spec.key] = created
        return made

    def make_candidate_interview(self):
        from recruiting.models import CreationMethod
        from recruiting.services import interviews as services

        spec = data.CANDIDATE_INTERVIEW
        found = self.existing_interview(spec["position_name"], creation_method=CreationMethod.FOR_CANDIDATE)
        if found is not None:
            self.stdout.write(f"  = {spec['position_name']!r} for {spec['candidate_name']} exists already")
            return found
        outcome = self.step(
            f"{spec['position_name']!r} for {spec['candidate_name']} (job-interview-create-for-candidate-with-token)",
            services.interview_create_for_candidate, candidate_resume=data.RESUME_TEXT, mojito_language_code="en",
            position_external_id="demo-staff-engineer-platform", **spec)
        return getattr(outcome, "interview", None)

    def seed_candidate_pages(self, interviews) -> list:
        """Public candidate pages (/jobs/) on for these interviews; the first keeps JobMojito's signed
        embed (candidates take the interview inside the page), the others give candidates a link."""
        from recruiting.models import CareerPage
        from recruiting.services.careers import career_page_default_slug, career_page_save

        pages = []
        for index, interview in enumerate(i for i in interviews if i is not None):
            interview.refresh_from_db()
            slug = career_page_default_slug(interview)
            page = CareerPage.objects.filter(interview=interview).first() or CareerPage(interview=interview, slug=slug)
            page.enabled, page.country_code = True, "GB"
            page.description_long = page.description_long or (
                "You join a small team that builds and runs our hiring platform. Remote within Europe, "
                "flexible hours, a learning budget and a yearly team week.")
            saved = self.step(f"candidate page /jobs/{page.slug}/ on for {interview.name!r}"
                              + (" (embedded interview)" if index == 0 else ""),
                              career_page_save, page=page, embedding=True if index == 0 else None)
            if saved is not None:
                pages.append(saved)
        return pages

    def publish(self, interviews: dict) -> None:
        from recruiting.services import interviews as services

        for spec in data.INTERVIEWS:
            interview = interviews.get(spec.key)
            if interview is None or spec.final_status == InterviewStatus.DRAFT:
                continue
            if interview.status not in (InterviewStatus.ACTIVE, InterviewStatus.ARCHIVED):
                self.step(f"published {spec.name!r} (job-interview-set-state)", services.interview_set_state,
                          interview=interview, status=InterviewStatus.ACTIVE)
            if spec.embedded and not interview.is_embedded:
                self.step(f"embedding on for {spec.name!r}", services.interview_set_embedding,
                          interview=interview, enabled=True)

    def upload_and_send(self, interviews: dict) -> list:
        from recruiting.models import BulkInvite
        from recruiting.services import candidates as bulk
        from recruiting.services import invitations

        jobs = []
        for upload in data.UPLOADS:
            interview = interviews.get(upload.interview)
            if interview is None:
                continue
            job = BulkInvite.objects.filter(interview=interview, source_file_name=upload.file_name).first()
            if job is None:
                rows = [data.person(i) for i in upload.people]
                job = self.step(f"{upload.file_name}: {len(rows) + len(upload.extra_lines)} rows checked",
                                invitations.bulk_invite_preview_from_csv, interview=interview,
                                csv_file=data.csv_bytes(rows, upload.extra_lines), file_name=upload.file_name)
            if job is None:
                continue
            if not upload.send or job.status != BulkInvite.Status.PREVIEW:
                jobs.append(job)
                continue
            self.step(f"{upload.file_name}: confirmed ({upload.delivery})", invitations.bulk_invite_confirm,
                      bulk=job, delivery=upload.delivery)
            down = upload.while_jobmojito_is_down and self.sandbox
            if down:
                self.step("JobMojito made unavailable (sandbox faults on)", sandbox_faults, self.origin, True)
            try:
                job = self.step(f"{upload.file_name}: sent", bulk.invitations_send_bulk, bulk_invite_id=job.pk) or job
            finally:
                if down:
                    self.step("JobMojito back (sandbox faults off)", sandbox_faults, self.origin, False)
            self.stdout.write(f"    {job.sent_count} sent, {job.failed_count} failed, {job.invalid_count} invalid, "
                              f"{job.duplicate_count} duplicate")
            jobs.append(job)
        return jobs

    def invite_by_email(self, interviews: dict) -> None:
        from recruiting.services import candidates

        key, indexes = data.EMAIL_SINGLES
        if key in interviews:
            self.step(f"{len(indexes)} people invited one by one by email (invite-users)", candidates.candidates_invite,
                      interview=interviews[key], people=[data.person(i) for i in indexes],
                      message_from_recruiter="We'd love to hear how you lead a support team.")

    def fail_one_invitation(self, interviews: dict) -> None:
        from recruiting.models import Invitation
        from recruiting.services import candidates

        interview = interviews.get("sales")
        person = data.person(data.FAILED_SINGLE)
        if interview is None or not self.sandbox or Invitation.objects.filter(
                interview=interview, candidate__normalised_email=person["email"]).exists():
            return
        sandbox_faults(self.origin, True)
        try:
            candidates.candidates_register(interview=interview, **person)
        except Exception as exc:  # noqa: BLE001 - the point: it fails and is recorded as failed
            self.stdout.write(f"  ✓ invitation for {person['name']} failed while JobMojito was down ({type(exc).__name__})")
        finally:
            sandbox_faults(self.origin, False)

    def take_interviews(self, interviews: dict) -> list:
        """Candidates answer, abandon or open their interviews, dated over the last 30 days."""
        from recruiting.models import BulkInviteRow, InterviewResult
        from recruiting.services import results

        synced, attempt = [], 0
        now = timezone.now()
        already = {key for key, interview in interviews.items()
                   if InterviewResult.objects.filter(interview=interview).exists()}
        done: dict[str, int] = {}
        for key, count, outcome in data.TAKEN:
            interview = interviews.get(key)
            if interview is None or key in already:
                continue
            rows = list(BulkInviteRow.objects.filter(bulk__interview=interview, state=BulkInviteRow.State.SENT)
                        .exclude(profile_interview_id="").order_by("bulk_id", "line_number")
                        [done.get(key, 0):done.get(key, 0) + count])
            done[key] = done.get(key, 0) + count
            for row in rows:
                attempt += 1
                if outcome == "open":
                    if row.interview_url:
                        self.step(f"{row.name} opened the interview", sandbox_open, row.interview_url)
                    continue
                when = now - dt.timedelta(days=data.days_ago(attempt), hours=attempt % 9)
                result_id = self.step(f"{row.name}: {outcome} ({when:%d %b})", sandbox_complete, self.origin,
                                      row.profile_interview_id, outcome, when)
                if result_id:
                    result = self.step(f"result {result_id[:8]} synced", self.sync_when_processed,
                                       results.result_sync, result_id)
                    if result is not None:
                        synced.append(result)
        return synced

    @staticmethod
    def sync_when_processed(result_sync, result_id: str, timeout: float = 20.0):
        """Sync a result, again until the sandbox has finished scoring it (abandoned ones at once)."""
        deadline = time.monotonic() + timeout
        while True:
            result = result_sync(mojito_id=result_id)
            done = result.processing_status in (ProcessingStatus.COMPLETED, ProcessingStatus.FAILED)
            if done or result.coach_status in FAILED_COACH_STATUSES:
                return result
            if time.monotonic() > deadline:
                return result
            time.sleep(0.3)

    def reconcile(self) -> None:
        from recruiting.services import mirror_sync

        report = self.step("reconciled with merchant-interview-list / merchant-result-list", mirror_sync.reconcile_all)
        if report is not None:
            self.stdout.write(f"    {report.summary()}")

    def finish_states(self, interviews: dict) -> None:
        from recruiting.services import interviews as services

        for spec in data.INTERVIEWS:
            interview = interviews.get(spec.key)
            if interview is not None and spec.final_status == InterviewStatus.ARCHIVED and \
                    interview.status != InterviewStatus.ARCHIVED:
                self.step(f"archived {spec.name!r}", services.interview_set_state, interview=interview,
                          status=InterviewStatus.ARCHIVED)

    def prescreen(self) -> None:
        from recruiting.models import Position
        from recruiting.services import prescreening

        spec = data.POSITION
        existing = Position.objects.filter(name=spec["name"]).first()
        position = self.step("pre-screening position (pre-screening-create)", prescreening.position_upsert,
                             position=existing, mojito_language_code="en", status=PreScreeningStatus.ACTIVE, **spec)
        if position is None:
            return
        self.step("résumé pre-screened as text", prescreening.prescreening_run_text, position=position,
                  name="Jane Doe", email="jane.doe@example.com", resume_text=data.RESUME_TEXT, country_code="GB")
        self.step("résumé pre-screened as a file", prescreening.prescreening_run_file, position=position,
                  name="John Roe", email="john.roe@example.com", file=data.RESUME_TEXT.encode(),
                  filename="john-roe-resume.txt", country_code="DE")

    def upload_knowledge(self, store_id: str) -> None:
        from recruiting.models import KnowledgeDocument
        from recruiting.services import knowledge

        if KnowledgeDocument.objects.filter(store_id=store_id, name=data.KNOWLEDGE_FILE).exists():
            self.stdout.write("  = the knowledge document exists already")
            return
        self.step("knowledge document uploaded", knowledge.knowledge_document_upload, store_id=store_id,
                  file=data.KNOWLEDGE_DOCUMENT.encode(), filename=data.KNOWLEDGE_FILE)

    def reports_and_links(self, results: list, jobs: list) -> None:
        from recruiting.models import Invitation
        from recruiting.services import candidates
        from recruiting.services import results as result_services

        submitted = [r for r in results if r.status == ResultStatus.ACTIVE]
        if submitted and not submitted[0].report:
            self.step("PDF report generated (job-interview-pdf)", result_services.report_generate, result=submitted[0])
        invitation = (Invitation.objects.filter(bulk_rows__bulk__in=[j for j in jobs if j], results__isnull=True)
                      .exclude(mojito_id=None).select_related("candidate", "interview").first())
        if invitation is not None:
            self.step("fresh interview URL minted (job-interview-token)", candidates.invitation_mint_url,
                      invitation=invitation)
        if len(submitted) > 1:
            self.step("another attempt requested", result_services.result_request_another_attempt,
                      result=submitted[-1])

    def summarise(self, started, interviews, jobs, results, synced_templates):
        from recruiting.models import Candidate, Invitation

        calls = Counter(ApiCall.objects.filter(created_at__gte=started).values_list("endpoint", flat=True))
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo summary"))
        if synced_templates is not None:
            self.stdout.write(f"  templates: {synced_templates.seen} seen ({synced_templates.legacy} legacy)")
        self.stdout.write(f"  interviews: {len(interviews)} ({', '.join(sorted({i.creation_method for i in interviews}))})")
        for job in jobs:
            if job is not None:
                self.stdout.write(f"  {job.source_file_name}: {job.get_status_display()}")
        states = Counter(Invitation.objects.values_list("delivery_state", flat=True))
        self.stdout.write(f"  candidates: {Candidate.objects.count()}; invitations: "
                          + ", ".join(f"{n} {s}" for s, n in sorted(states.items())))
        self.stdout.write(f"  results synced this run: {len(results)}")
        self.stdout.write("  API calls: " + ", ".join(f"{name} ×{n}" for name, n in sorted(calls.items())))
        missing = [name for name in CORE_ENDPOINTS if not calls.get(name)]
        if missing:
            self.stdout.write(self.style.WARNING(f"  [CORE] endpoints not exercised this run: {', '.join(missing)}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"  every [CORE] endpoint exercised ({len(CORE_ENDPOINTS)})"))
        if self.failures:
            raise CommandError(f"{len(self.failures)} demo step(s) failed:\n  " + "\n  ".join(self.failures))
        self.stdout.write(self.style.SUCCESS("Demo ready."))
