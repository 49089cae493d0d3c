"""Avatar / voice templates: mirror merchant-avatar-list locally.

Every template is upserted (legacy types are flagged by the upsert: listed, but unusable for new
interviews). Templates we hold that JobMojito no longer lists are marked ``archived`` locally so
forms stop offering them.
"""

from __future__ import annotations

from dataclasses import dataclass

from mojito.vocabulary import AvatarStatus
from recruiting.models import InterviewTemplate
from recruiting.services.client import get_client
from recruiting.services.upserts import template_upsert_from_payload


@dataclass
class TemplateSync:
    seen: int
    legacy: int
    archived_locally: int


def templates_sync(*, include_public: bool = True) -> TemplateSync:
    """Page through merchant-avatar-list (archived ones included) and upsert every row."""
    client = get_client()
    seen_ids: set[str] = set()
    legacy = 0
    filters = {"include_archived": True}
    if include_public:
        filters["include_public"] = True
    for row in client.iter_all(client.list_avatars, **filters):
        template = template_upsert_from_payload(row)
        seen_ids.add(template.mojito_id)
        legacy += int(template.is_legacy)
    # A local decision, not a payload: the row keeps its last raw answer.
    archived = (InterviewTemplate.objects.exclude(mojito_id__in=seen_ids).exclude(status=AvatarStatus.ARCHIVED)
                .update(status=AvatarStatus.ARCHIVED))
    return TemplateSync(seen=len(seen_ids), legacy=legacy, archived_locally=archived)
