"""Avatar template sync against the in-process sandbox."""

import pytest

from recruiting.models import InterviewTemplate
from recruiting.services.templates import templates_sync

pytestmark = pytest.mark.django_db


def test_sync_mirrors_every_template_and_flags_legacy(sandbox):
    outcome = templates_sync()

    assert outcome.seen == len(sandbox.state.templates) == InterviewTemplate.objects.count()
    for remote in sandbox.state.templates.values():
        local = InterviewTemplate.objects.get(mojito_id=remote["id"])
        assert (local.name, local.type, local.status) == (remote["name"], remote["type"], remote["status"])
    legacy = InterviewTemplate.objects.filter(is_legacy=True)
    assert list(legacy.values_list("type", flat=True)) == ["offline_elai"]
    assert outcome.legacy == 1


def test_sync_twice_changes_nothing_and_follows_remote_changes(sandbox):
    templates_sync()
    some_id = next(iter(sandbox.state.templates))
    sandbox.state.templates[some_id]["name"] = "Renamed avatar"
    templates_sync()
    assert InterviewTemplate.objects.count() == len(sandbox.state.templates)
    assert InterviewTemplate.objects.get(mojito_id=some_id).name == "Renamed avatar"


def test_templates_gone_remotely_are_archived_locally(sandbox):
    from tests.recruiting.conftest import make_template

    stale = make_template(status="active")
    outcome = templates_sync()
    assert outcome.archived_locally == 1
    assert InterviewTemplate.objects.get(pk=stale.pk).status == "archived"
