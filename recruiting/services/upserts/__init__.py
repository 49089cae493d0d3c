"""The single way JobMojito payloads become rows: one upsert entry point per model.

Every path (webhook handlers, sync commands, admin re-sync, create services) calls these. Each
entry point locks the row it writes (``select_for_update`` inside ``transaction.atomic``) and, when
two workers insert the same remote id at once, retries after the loser's ``IntegrityError``, so
concurrent upserts leave one row. Payloads are tolerant: ``null`` anywhere, unknown keys kept in
``raw``; a key that is absent leaves the column as it is. Secrets (``embed_signing_key``) and
short-lived signed URLs are stripped from ``raw`` before it is saved.

Results are monotonic (see ``recruiting.models.results.result_state_rank``): an update of a lower
rank is ignored unless ``force=True`` (after "another attempt requested").
"""

from ._base import UpsertError, parse_remote_datetime, strip_secrets
from ._bulk import (bulk_insert_rows, bulk_insert_values, bulk_update_rows, can_claim_rows, claim_rows,
                    increment_row)
from .candidates import Registration, candidate_upsert, invitation_upsert, registrations_upsert
from .interviews import (
    interview_upsert_from_payload,
    position_upsert_from_payload,
    template_upsert_from_payload,
)
from .prescreening import (
    knowledge_document_upsert_from_payload,
    prescreening_upsert_from_payload,
)
from .results import invitations_mark_started, result_upsert_from_payload
from .results_many import results_create_many

__all__ = [
    "Registration",
    "UpsertError",
    "bulk_insert_rows",
    "bulk_insert_values",
    "bulk_update_rows",
    "can_claim_rows",
    "candidate_upsert",
    "claim_rows",
    "increment_row",
    "interview_upsert_from_payload",
    "invitations_mark_started",
    "invitation_upsert",
    "knowledge_document_upsert_from_payload",
    "parse_remote_datetime",
    "position_upsert_from_payload",
    "prescreening_upsert_from_payload",
    "registrations_upsert",
    "result_upsert_from_payload",
    "results_create_many",
    "strip_secrets",
    "template_upsert_from_payload",
]
