"""A tiny request/response layer for the sandbox's WSGI app (no Django: the sandbox keeps its own
state apart from the app's database and runs both in-process, as an httpx transport, and as a
server).

Handlers take a ``Request`` and return a ``Response``; ``Response.json(...)`` and
``Response.error(status, message, field)`` build the common shapes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs


@dataclass
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    _json: object = field(default=None, repr=False)
    _form: tuple | None = field(default=None, repr=False)
    # Set by the app after authentication: {"token", "merchant_id", "service_key": bool}.
    context: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_environ(cls, environ) -> "Request":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
        path = environ.get("PATH_INFO", "/")
        return cls(method=environ["REQUEST_METHOD"].upper(), path=path, query=query, headers=headers, body=body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self):
        """The JSON body; raises ValueError when it is not JSON."""
        if self._json is None:
            self._json = json.loads(self.body.decode("utf-8") or "null")
        return self._json

    @property
    def bearer_token(self) -> str | None:
        value = self.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()

    def form(self) -> tuple[dict[str, str], dict[str, UploadedFile]]:
        """(fields, files) of a multipart/form-data or urlencoded body."""
        if self._form is None:
            fields: dict[str, str] = {}
            files: dict[str, UploadedFile] = {}
            if self.content_type == "multipart/form-data":
                raw = b"Content-Type: " + self.headers["content-type"].encode() + b"\r\n\r\n" + self.body
                message = BytesParser(policy=HTTP).parsebytes(raw)
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    filename = part.get_filename()
                    payload = part.get_payload(decode=True) or b""
                    if filename is not None:
                        files[name] = UploadedFile(filename, part.get_content_type(), payload)
                    else:
                        fields[name] = payload.decode(part.get_content_charset() or "utf-8")
            elif self.content_type == "application/x-www-form-urlencoded":
                fields = {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()}
            self._form = (fields, files)
        return self._form


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data, status: int = 200) -> "Response":
        return cls(status=status, body=json.dumps(data).encode("utf-8"))

    @classmethod
    def error(cls, status: int, message: str, field_name: str | None = None) -> "Response":
        envelope = {"error": message}
        if field_name:
            envelope["name"] = field_name
        return cls.json(envelope, status=status)

    @classmethod
    def html(cls, text: str, status: int = 200) -> "Response":
        return cls(status=status, body=text.encode("utf-8"), content_type="text/html; charset=utf-8")

    def wsgi(self, start_response):
        reasons = {200: "OK", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
                   404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 410: "Gone",
                   422: "Unprocessable Entity", 500: "Internal Server Error", 502: "Bad Gateway",
                   503: "Service Unavailable", 504: "Gateway Timeout"}
        headers = [("Content-Type", self.content_type), ("Content-Length", str(len(self.body)))]
        headers += list(self.headers.items())
        start_response(f"{self.status} {reasons.get(self.status, 'Status')}", headers)
        return [self.body]
