"""MojitoClient.download: files JobMojito points at (signed report URLs)."""

import httpx
import pytest

from mojito.client import MojitoClient
from mojito.errors import MojitoAPIError, MojitoTransportError, NotFound
from mojito.models import ApiCall

TOKEN = "download-test-token"
SIGNED = "https://storage.example.test/reports/r.pdf?token=signed-secret"


def client_for(handler, **kwargs):
    return MojitoClient("https://api.example.test/functions/v1", TOKEN, transport=httpx.MockTransport(handler),
                        **kwargs)


def test_no_token_to_other_hosts_and_token_when_asked():
    seen = []

    def handler(request):
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(200, content=b"%PDF-1.4 body")

    client = client_for(handler, record_calls=False)
    assert client.download(SIGNED) == b"%PDF-1.4 body"
    assert client.download("https://api.example.test/file.pdf", send_token=True) == b"%PDF-1.4 body"
    assert seen == [None, f"Bearer {TOKEN}"]


def test_size_cap_and_status_errors():
    client = client_for(lambda request: httpx.Response(200, content=b"x" * 2048), record_calls=False)
    with pytest.raises(MojitoAPIError, match="larger than 1024 bytes"):
        client.download(SIGNED, max_bytes=1024)
    client = client_for(lambda request: httpx.Response(404, content=b"gone"), record_calls=False)
    with pytest.raises(NotFound):
        client.download(SIGNED)


def test_transport_failure_is_a_transport_error():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(MojitoTransportError):
        client_for(handler, record_calls=False).download(SIGNED)


@pytest.mark.django_db
def test_recorded_without_url_or_token():
    client_for(lambda request: httpx.Response(200, content=b"%PDF")).download(SIGNED)
    call = ApiCall.objects.get()
    assert (call.endpoint, call.status_code, call.ok) == ("download", 200, True)
    row = " ".join(str(v) for v in ApiCall.objects.values().get().values())
    assert "signed-secret" not in row and TOKEN not in row
