"""Seeded avatar templates: one per modality, plus a legacy Elai one that cannot be used to create.

Ids are fixed (uuid5), so demo data, docs and tests can name them: ``TEMPLATE_IDS[type]``.
"""

from __future__ import annotations

import uuid

from mojito.sandbox.state import SandboxState, now_iso

NAMESPACE = uuid.UUID("6f1c0c2e-5d1a-4d7e-9a52-0b6f3c1d2e11")

SEED_TEMPLATES = (
    ("interactive_heygen", "Anna - interactive video avatar", "English (US)"),
    ("interactive_elevenlabs", "Sam - voice only", "English (UK)"),
    ("offline_heygen", "Lena - pre-recorded avatar", "English (US)"),
    ("offline_elai", "Max - legacy Elai avatar", "English (US)"),
)

TEMPLATE_IDS = {kind: str(uuid.uuid5(NAMESPACE, f"template:{kind}")) for kind, _, _ in SEED_TEMPLATES}


def template_row(kind: str, name: str, voice: str, merchant_id: str, stamp: str) -> dict:
    template_id = TEMPLATE_IDS[kind]
    video = kind != "interactive_elevenlabs"
    return {
        "id": template_id,
        "merchant_id": merchant_id,
        "name": name,
        "type": kind,
        "status": "active",
        "visibility": "public",
        "mojito_language_code": "en",
        "video_voice_language_name": voice,
        "media_url": f"https://media.sandbox.invalid/avatars/{template_id}.mp4" if video else None,
        "background_url": None,
        "background_blur": 0.0,
        "video_background_remove": False,
        "video_avatar_image_url": f"https://media.sandbox.invalid/avatars/{template_id}.png" if video else None,
        "video_avatar_aspect_ratio": "16:9" if video else None,
        "created_at": stamp,
        "updated_at": stamp,
    }


def seed(state: SandboxState) -> None:
    """Add the seeded templates that are missing (idempotent)."""
    stamp = now_iso()
    with state.lock:
        for kind, name, voice in SEED_TEMPLATES:
            if TEMPLATE_IDS[kind] not in state.templates:
                state.templates[TEMPLATE_IDS[kind]] = template_row(kind, name, voice, state.config.merchant_id, stamp)
