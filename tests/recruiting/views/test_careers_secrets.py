"""The embed signing key never leaves the server: not in any response body or header, not in a
log line, not in the cache, through the whole candidate flow and the recruiter's pages of it."""

import logging
import pickle

import pytest
from django.core.cache import caches
from django.test import TestCase

from recruiting import tasks
from recruiting.models import Application, Interview
from tests.support.careers import REJECTED_RESUME, apply_data, make_page

pytestmark = pytest.mark.django_db


def cache_dump() -> bytes:
    dumped = b""
    for alias in caches:
        store = getattr(caches[alias], "_cache", {})
        for key, value in list(store.items()):
            dumped += str(key).encode() + (value if isinstance(value, bytes) else pickle.dumps(value))
    return dumped


def test_the_signing_key_never_appears_in_responses_logs_or_cache(client, recruiter_client, sandbox, caplog,
                                                                  monkeypatch):
    caplog.set_level(logging.DEBUG)
    queued = []
    monkeypatch.setattr(tasks.application_prescreen_task, "delay", lambda pk: queued.append(pk))
    page = make_page(embedded=True)
    seen = []

    def record(response):
        seen.append(response.content + str(dict(response.headers)).encode() + str(response.cookies).encode())
        return response

    record(client.get("/jobs/"))
    record(client.get(f"/jobs/{page.slug}/"))
    record(client.get(f"/jobs/{page.slug}/apply/"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        decision_url = record(client.post(f"/jobs/{page.slug}/apply/", apply_data(page))).headers["Location"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        record(client.post(f"/jobs/{page.slug}/apply/", apply_data(page, email="rej@example.com",
                                                                  resume_text=REJECTED_RESUME)))
    record(client.get(decision_url, HTTP_HX_REQUEST="true"))
    for pk in queued:
        tasks.application_prescreen_task.apply(args=[pk]).get()
    record(client.get(decision_url))
    record(client.get(decision_url, HTTP_HX_REQUEST="true"))
    record(recruiter_client.get(f"/jobs/settings/{page.interview.pk}/"))
    record(recruiter_client.post(f"/jobs/settings/{page.interview.pk}/", {
        "enabled": "on", "slug": page.slug, "country_code": "US", "embedding": "on"}, follow=True))

    accepted = Application.objects.get(normalised_email="ada@example.com")
    assert accepted.is_accepted and b"/embed?embed_id=" in seen[-4]  # the flow reached the signed iframe
    keys = {e["embed_signing_key"] for e in sandbox.state.embeds.values()}
    keys |= {k for k in Interview.objects.values_list("embed_signing_key", flat=True) if k}
    assert keys
    logs = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records).encode()
    cached = cache_dump()
    for key in keys:
        for blob in seen:
            assert key.encode() not in blob
        assert key.encode() not in logs
        assert key.encode() not in cached
