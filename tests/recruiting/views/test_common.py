import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage

from mojito.errors import (
    AuthenticationFailed,
    InvalidRequest,
    MojitoOutcomeUnknown,
    MojitoTransportError,
    PermissionDenied,
    ServerError,
)
from recruiting.models import Candidate
from recruiting.views.common import apply_sort, mojito_error_message, paginate, report_mojito_error


class NameForm(forms.Form):
    name = forms.CharField()
    language = forms.CharField()


def with_messages(request):
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_it_puts_a_field_error_on_the_field_and_keeps_what_was_typed(rf):
    form = NameForm(data={"name": "Typed by hand", "language": "xx"})
    assert form.is_valid()
    report_mojito_error(rf.post("/"), InvalidRequest("must be a supported language", field="mojito_language_code"),
                        form=form, field_map={"mojito_language_code": "language"})
    assert form.errors["language"] == ["must be a supported language"]
    assert form.data["name"] == "Typed by hand"


def test_it_puts_an_unknown_field_error_at_the_top_of_the_form(rf):
    form = NameForm(data={"name": "n", "language": "en"})
    form.is_valid()
    report_mojito_error(rf.post("/"), InvalidRequest("bad", field="something_else"), form=form)
    assert "something_else" in form.non_field_errors()[0]


@pytest.mark.parametrize("exc, words", [
    (AuthenticationFailed("no"), "MOJITO_API_TOKEN"),
    (PermissionDenied("no"), "not allowed"),
    (ServerError("boom"), "Nothing was lost"),
    (MojitoTransportError("timeout"), "Nothing was lost"),
    (MojitoOutcomeUnknown("lost"), "checking"),
])
def test_it_shows_a_banner_the_recruiter_can_act_on(rf, exc, words):
    request = with_messages(rf.post("/"))
    report_mojito_error(request, exc)
    shown = [str(m) for m in get_messages(request)]
    assert len(shown) == 1 and words in shown[0]
    assert "boom" not in shown[0]  # no raw API text for outages
    assert mojito_error_message(exc) == shown[0]


@pytest.mark.django_db
def test_it_sorts_only_by_allowed_keys_and_pages_stably(rf):
    for name in ("b", "a", "c"):
        Candidate.objects.create(email=f"{name}@example.com", name=name)
    qs, used = apply_sort(rf.get("/", {"sort": "-name"}), Candidate.objects.all(), {"name": "name"}, "name")
    assert used == "-name" and [c.name for c in qs] == ["c", "b", "a"]
    qs, used = apply_sort(rf.get("/", {"sort": "password"}), Candidate.objects.all(), {"name": "name"}, "name")
    assert used == "name" and [c.name for c in qs] == ["a", "b", "c"]
    page = paginate(rf.get("/", {"page": "99"}), qs, per_page=2)
    assert page.number == 2 and [c.name for c in page] == ["c"]
