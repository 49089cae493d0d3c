"""Abstract bases shared by the models that mirror JobMojito objects (after dj-stripe's StripeModel).

Each mirror has a local BigAutoField id, the remote id as ``mojito_id``, ``raw`` (the last full
payload, secrets stripped) and ``synced_at`` (when it was last written from JobMojito), plus local
``created_at`` / ``updated_at``. Timestamps reported by JobMojito are ``remote_*`` columns.
Write mirrors only through ``recruiting.services.upserts``.
"""

from django.db import models


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class MojitoModel(TimestampedModel):
    """A mirror whose remote id is known from the start (created from an API answer)."""

    mojito_id = models.CharField("JobMojito id", max_length=64, unique=True)
    raw = models.JSONField(default=dict, blank=True, help_text="Last full payload from JobMojito (secrets removed).")
    synced_at = models.DateTimeField(null=True, blank=True, help_text="Last time this row was written from JobMojito.")

    class Meta:
        abstract = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} pk={self.pk} mojito_id={self.mojito_id!r}>"


class LocalFirstMojitoModel(MojitoModel):
    """A mirror that can exist locally before JobMojito knows it: ``mojito_id`` NULL until then."""

    mojito_id = models.CharField("JobMojito id", max_length=64, unique=True, null=True, blank=True)

    class Meta:
        abstract = True
