"""`manage.py seed_demo`: a realistic demo built through the services (hence the real client).

It talks to whatever ``MOJITO_API_BASE_URL`` points at, and refuses to run against a server that
is not the sandbox (``GET {origin}/sandbox/api/ping`` must answer ``{"sandbox": true}``) unless
given ``--allow-real``, because against JobMojito it would spend real credits. Every run makes a
new demo batch (names carry a batch tag), so it can be run again.

Against the sandbox it also plays the candidates (``POST {origin}/sandbox/api/complete``, a
sandbox-only endpoint outside JobMojito's API, called here with urllib) so that results exist.
"""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mojito.models import ApiCall
from mojito.vocabulary import (
    AvatarStatus,
    AvatarTemplateType,
    InterviewStatus,
    PreScreeningStatus,
    ProcessingStatus,
    ResultStatus,
)

# The [CORE] endpoints of the API reference; the demo must call each at least once.
CORE_ENDPOINTS = (
    "job-interview-create", "job-interview-create-from-array", "job-interview-create-for-candidate-with-token",
    "job-interview-get", "job-interview-set-state", "job-interview-token", "job-interview-register-users",
    "job-interview-details", "job-interview-pdf", "job-interview-result-request-another-attempt",
    "knowledge-base-document-upload", "pre-screening-create", "job-interview-pre-screening-api-resume-text",
    "job-interview-pre-screening-api-resume-binary", "invite-users", "merchant-avatar-list",
)
FIRST_NAMES = ("Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim",
               "Margaret", "John", "Sophie", "Linus", "Hedy", "Dennis", "Katherine", "Niklaus", "Shafi", "Guido",
               "Anita", "Bjarne", "Lynn", "Whitfield", "Mary")
LAST_NAMES = ("Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman",
              "Berners-Lee", "Hamilton", "Backus", "Wilson", "Torvalds", "Lamarr", "Ritchie", "Johnson", "Wirth",
              "Goldwasser", "van Rossum", "Borg", "Stroustrup", "Conway", "Diffie", "Keller")
RESUME_TEXT = """Jane Doe — Senior Backend Engineer
8 years building Python and Django services; PostgreSQL, Redis, Celery, AWS.
Led the migration of a monolith to event-driven services handling 2k requests/s.
MSc Computer Science, University of Edinburgh. Fluent English, intermediate German.
"""
KNOWLEDGE_DOCUMENT = """# Engineering handbook (demo)
We deploy several times a day behind feature flags. On-call is one week in six.
Interviews assess problem solving, communication and ownership.
"""
QUESTIONS = [
    "Tell us about a production incident you owned from detection to post-mortem.",
    "How would you design an API that must stay correct when clients retry requests?",
    "Describe a time you changed a colleague's mind about a technical decision.",
    "What do you look for when reviewing a pull request?",
]
DEFAULT_STORE_ID = "5e3d0c1a-7d3b-4f43-9a55-0d3e00000001"  # any id works in the sandbox


def api_origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def is_sandbox(origin: str, timeout: float = 5.0) -> bool:
    """True when ``origin`` answers the sandbox's ping with {"sandbox": true}."""
    try:
        with urllib.request.urlopen(f"{origin}/sandbox/api/ping", timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read() or b"{}").get("sandbox") is True
    except (OSError, ValueError, urllib.error.URLError):
        return False


def sandbox_complete(origin: str, profile_interview_id: str, outcome: str) -> str:
    """Play the candidate in the sandbox: submit or abandon the interview; returns the result id."""
    body = json.dumps({"profile_interview_id": profile_interview_id, "outcome": outcome}).encode()
    request = urllib.request.Request(f"{origin}/sandbox/api/complete", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())["interview_result_id"]


def people(count: int, batch: str) -> list[dict]:
    return [{"name": f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}",
             "email": f"demo-{batch}-{i + 1:02d}@example.com", "external_id": f"DEMO-{batch}-{i + 1:02d}"}
            for i in range(count)]


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "email", "external_id"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class Command(BaseCommand):
    help = ("Build a demo through the services against MOJITO_API_BASE_URL: templates, interviews made three "
            "ways, a pre-screening position, a bulk invite, invitations, completed interviews, results, "
            "pre-screenings, a knowledge document and a report. Refuses a non-sandbox server without --allow-real.")

    def add_arguments(self, parser):
        parser.add_argument("--allow-real", action="store_true",
                            help="Run against a server that is not the sandbox (spends real JobMojito credits).")
        parser.add_argument("--candidates", type=int, default=25, help="Rows in the bulk invite (default 25).")
        parser.add_argument("--complete", type=int, default=4, help="Interviews the sandbox candidates submit.")
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
        from recruiting.services import candidates as candidate_services
        from recruiting.services import interviews as interview_services
        from recruiting.services import knowledge, mirror_sync, prescreening, results, templates

        base_url = settings.MOJITO_API_BASE_URL
        origin = api_origin(base_url)
        sandbox = is_sandbox(origin)
        if not sandbox and not options["allow_real"]:
            raise CommandError(
                f"{origin} is not a JobMojito sandbox (GET {origin}/sandbox/api/ping did not answer "
                '{"sandbox": true}). The demo would spend real credits: start the sandbox '
                "(python manage.py mojito_sandbox) and point MOJITO_API_BASE_URL at it, or pass --allow-real.")
        self.failures: list[str] = []
        started = timezone.now()
        batch = f"{timezone.now():%m%d%H%M}-{uuid.uuid4().hex[:4]}"
        self.stdout.write(f"Seeding demo batch {batch} against {base_url} ({'sandbox' if sandbox else 'REAL JobMojito'})")

        # 1. Avatar templates.
        synced = self.step("synced avatar templates (merchant-avatar-list)", templates.templates_sync)
        template = self.pick_template()
        if template is None:
            raise CommandError("No usable avatar template (active, not legacy) after the template sync.")

        # 2. Interviews, three ways.
        common = {"location": "Remote (EU)", "interview_template_id": template.mojito_id}
        generated = self.step(
            "interview from a description (job-interview-create)", interview_services.interview_create_from_description,
            name=f"Backend Engineer [{batch}]", description="Python/Django backend engineer for our hiring "
            "platform: APIs, background jobs, PostgreSQL, on-call.", **common)
        own = self.step(
            "interview from our own questions (job-interview-create-from-array)",
            interview_services.interview_create_from_questions, name=f"Site Reliability Engineer [{batch}]",
            description="Keep production healthy: observability, incident response, capacity.",
            questions=QUESTIONS, **common)
        for_candidate = self.step(
            "interview for one candidate (job-interview-create-for-candidate-with-token)",
            interview_services.interview_create_for_candidate, candidate_name="Jane Doe",
            candidate_email=f"jane.doe+{batch}@example.com", candidate_country_code="GB", candidate_resume=RESUME_TEXT,
            position_name=f"Staff Engineer [{batch}]", position_location="London", position_country_code="GB",
            mojito_language_code="en")
        interviews = [i for i in (generated, own, getattr(for_candidate, "interview", None)) if i is not None]

        # 3. Publish them; embedding on for one.
        for interview in interviews:
            self.step(f"published {interview.name!r} (job-interview-set-state)",
                      interview_services.interview_set_state, interview=interview, status=InterviewStatus.ACTIVE)
        if own is not None:
            self.step(f"embedding on for {own.name!r}", interview_services.interview_set_embedding,
                      interview=own, enabled=True)

        # 4. A pre-screening position.
        position = self.step(
            "pre-screening position (pre-screening-create)", prescreening.position_upsert,
            name=f"Data Engineer [{batch}]", location="Berlin", country_code="DE", mojito_language_code="en",
            description="Batch and streaming pipelines on PostgreSQL and Kafka.", status=PreScreeningStatus.ACTIVE)

        # 5. Bulk invite of N candidates, run synchronously here.
        bulk = None
        target = generated or own
        if target is not None:
            rows = people(options["candidates"], batch)
            bulk = self.step(f"bulk invite of {len(rows)} candidates created from a CSV",
                             candidate_services.bulk_invite_create_from_csv, interview=target,
                             csv_file=csv_bytes(rows), file_name=f"demo-{batch}.csv")
            if bulk is not None:
                bulk = self.step("bulk invite sent (job-interview-register-users)",
                                 candidate_services.invitations_send_bulk, bulk_invite_id=bulk.pk)
                if bulk is not None:
                    self.stdout.write(f"    {bulk.sent_count} sent, {bulk.failed_count} failed, status {bulk.status}")

        # 6. A few invited by email.
        if own is not None:
            invited = self.step("3 candidates invited by email (invite-users)", candidate_services.candidates_invite,
                                interview=own, people=people(3, f"{batch}-inv"),
                                message_from_recruiter="We'd love to hear from you.")
            if invited:
                self.stdout.write(f"    {sum(1 for i in invited if i.delivery_state == 'invited')} invited")

        # 7. Candidates take interviews (sandbox only), then the results are synced.
        result_ids = self.play_candidates(origin, bulk, options["complete"]) if sandbox and bulk else []
        synced_results = []
        for result_id in result_ids:
            result = self.step(f"result {result_id[:8]} synced (job-interview-details)", self.sync_when_processed,
                               results.result_sync, result_id)
            if result is not None:
                synced_results.append(result)
        report = self.step("reconciled with merchant-interview-list / merchant-result-list", mirror_sync.reconcile_all)
        if report is not None:
            self.stdout.write(f"    {report.summary()}")

        # 8. Pre-screen one résumé as text and one as a file.
        if position is not None:
            self.step("résumé pre-screened as text", prescreening.prescreening_run_text, position=position,
                      name="Jane Doe", email=f"jane.doe+{batch}@example.com", resume_text=RESUME_TEXT,
                      country_code="GB")
            self.step("résumé pre-screened as a file", prescreening.prescreening_run_file, position=position,
                      name="John Roe", email=f"john.roe+{batch}@example.com", file=RESUME_TEXT.encode(),
                      filename="john-roe-resume.txt", country_code="DE")

        # 9. A knowledge document.
        self.step("knowledge document uploaded", knowledge.knowledge_document_upload,
                  store_id=options["knowledge_store"], file=KNOWLEDGE_DOCUMENT.encode(),
                  filename=f"engineering-handbook-{batch}.md")

        # 10. A report, a minted interview URL, another attempt.
        submitted = [r for r in synced_results if r.status == ResultStatus.ACTIVE]
        if submitted:
            self.step("PDF report generated (job-interview-pdf)", results.report_generate, result=submitted[0])
        invitation = self.first_invitation(bulk, result_ids)
        if invitation is not None:
            self.step("fresh interview URL minted (job-interview-token)", candidate_services.invitation_mint_url,
                      invitation=invitation)
        if len(submitted) > 1:
            self.step("another attempt requested", results.result_request_another_attempt, result=submitted[-1])

        self.summarise(started, interviews, bulk, synced_results, synced)

    # --- steps ------------------------------------------------------------------------------------

    @staticmethod
    def pick_template():
        from recruiting.models import InterviewTemplate

        usable = InterviewTemplate.objects.filter(is_legacy=False).exclude(
            status__in=[AvatarStatus.ARCHIVED, AvatarStatus.DELETED])
        preferred = usable.filter(type__in=[AvatarTemplateType.INTERACTIVE_HEYGEN,
                                            AvatarTemplateType.INTERACTIVE_ELEVENLABS]).order_by("name").first()
        return preferred or usable.order_by("name").first()

    def play_candidates(self, origin: str, bulk, count: int) -> list[str]:
        """Submit ``count`` interviews and abandon one, as sandbox candidates."""
        from recruiting.models import BulkInviteRow

        rows = list(BulkInviteRow.objects.filter(bulk=bulk, state=BulkInviteRow.State.SENT)
                    .exclude(profile_interview_id="").order_by("line_number")[:count + 1])
        result_ids = []
        for index, row in enumerate(rows):
            outcome = "abandon" if index == len(rows) - 1 and len(rows) > 1 else "submit"
            result_id = self.step(f"sandbox candidate line {row.line_number}: {outcome}", sandbox_complete,
                                  origin, row.profile_interview_id, outcome)
            if result_id:
                result_ids.append(result_id)
        return result_ids

    @staticmethod
    def sync_when_processed(result_sync, result_id: str, timeout: float = 20.0):
        """Sync a result, again until the sandbox has finished scoring it (abandoned ones at once)."""
        deadline = time.monotonic() + timeout
        while True:
            result = result_sync(mojito_id=result_id)
            done = result.processing_status in (ProcessingStatus.COMPLETED, ProcessingStatus.FAILED)
            if done or result.coach_status in ("abandoned", "failed", "terminated, no speech detected"):
                return result
            if time.monotonic() > deadline:
                return result
            time.sleep(0.3)

    @staticmethod
    def first_invitation(bulk, used_result_ids):
        from recruiting.models import Invitation

        if bulk is None:
            return None
        return (Invitation.objects.filter(bulk_rows__bulk=bulk).exclude(mojito_id=None)
                .exclude(mojito_id__in=bulk.rows.exclude(profile_interview_id="").order_by("line_number")
                         .values_list("profile_interview_id", flat=True)[:len(used_result_ids)])
                .select_related("candidate", "interview").first())

    def summarise(self, started, interviews, bulk, synced_results, synced_templates):
        calls = Counter(ApiCall.objects.filter(created_at__gte=started).values_list("endpoint", flat=True))
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo summary"))
        if synced_templates is not None:
            self.stdout.write(f"  templates: {synced_templates.seen} seen ({synced_templates.legacy} legacy)")
        self.stdout.write(f"  interviews: {len(interviews)} ({', '.join(i.creation_method for i in interviews)})")
        if bulk is not None:
            self.stdout.write(f"  bulk invite #{bulk.pk}: {bulk.sent_count}/{bulk.total_count} sent")
        self.stdout.write(f"  results synced: {len(synced_results)}")
        self.stdout.write("  API calls: " + ", ".join(f"{name} ×{n}" for name, n in sorted(calls.items())))
        missing = [name for name in CORE_ENDPOINTS if not calls.get(name)]
        if missing:
            self.stdout.write(self.style.WARNING(f"  [CORE] endpoints not exercised: {', '.join(missing)}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"  every [CORE] endpoint exercised ({len(CORE_ENDPOINTS)})"))
        if self.failures:
            raise CommandError(f"{len(self.failures)} demo step(s) failed:\n  " + "\n  ".join(self.failures))
        self.stdout.write(self.style.SUCCESS("Demo ready."))
