"""Data migrations do what they say on data that was there before them."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from recruiting.models import Invitation
from tests.recruiting.conftest import make_invitation, make_result

pytestmark = pytest.mark.django_db


def test_0008_backfills_started_at_from_the_earliest_attempt():
    migration = importlib.import_module("recruiting.migrations.0008_invitation_started_at")
    now = timezone.now()
    taken, waiting = make_invitation(), make_invitation()
    make_result(invitation=taken, remote_updated_at=now, remote_created_at=now)
    make_result(invitation=taken, remote_updated_at=now, remote_created_at=now - dt.timedelta(days=2))
    undated = make_invitation()
    make_result(invitation=undated, remote_created_at=None)
    Invitation.objects.update(started_at=None)  # as before the migration
    migration.backfill_started_at(apps, SimpleNamespace(connection=connection))  # what it uses of a schema editor
    started = dict(Invitation.objects.values_list("pk", "started_at"))
    assert started[taken.pk] == now - dt.timedelta(days=2)
    assert started[waiting.pk] is None
    assert started[undated.pk] is not None  # no attempt time: the row's own arrival stands in
