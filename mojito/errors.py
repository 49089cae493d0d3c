"""The MojitoError hierarchy: what can go wrong when talking to JobMojito.

    MojitoError
    ├── MojitoTransportError        no usable HTTP answer (connect error, timeout, dropped connection)
    │   └── MojitoOutcomeUnknown    a non-repeatable create was sent but its outcome is unknown:
    │                               reconcile (look the object up) before sending it again
    └── MojitoAPIError              JobMojito answered with an error status and envelope
        ├── AuthenticationFailed    401
        ├── PermissionDenied        403
        ├── NotFound                404
        ├── Conflict                409
        ├── InvalidRequest          422 (``field`` names the offending field when the API says)
        └── ServerError             5xx

Configuration mistakes (no base URL, no token) raise ``ImproperlyConfigured``, never a MojitoError.
Messages never contain the API token or request bodies.
"""

from __future__ import annotations


class MojitoError(Exception):
    """Base class of every JobMojito failure."""

    def __init__(self, message: str, *, endpoint: str = ""):
        super().__init__(message)
        self.message = message
        self.endpoint = endpoint


class MojitoTransportError(MojitoError):
    """No usable HTTP answer: connection refused, timeout, connection dropped."""


class MojitoOutcomeUnknown(MojitoTransportError):
    """A create request left this process but no answer came back.

    The object may or may not exist at JobMojito now. Look it up before sending again.
    """


class MojitoAPIError(MojitoError):
    """JobMojito answered with a non-2xx status and (usually) an ``{"error", "name"}`` envelope."""

    status_code: int = 0

    def __init__(self, message: str, *, status_code: int | None = None, field: str | None = None,
                 endpoint: str = ""):
        super().__init__(message, endpoint=endpoint)
        if status_code is not None:
            self.status_code = status_code
        self.field = field or None

    def __str__(self) -> str:
        where = f" (field {self.field})" if self.field else ""
        return f"JobMojito {self.endpoint or 'API'} answered {self.status_code}: {self.message}{where}"


class AuthenticationFailed(MojitoAPIError):
    status_code = 401


class PermissionDenied(MojitoAPIError):
    status_code = 403


class NotFound(MojitoAPIError):
    status_code = 404


class Conflict(MojitoAPIError):
    status_code = 409


class InvalidRequest(MojitoAPIError):
    status_code = 422


class ServerError(MojitoAPIError):
    status_code = 500


STATUS_ERRORS: dict[int, type[MojitoAPIError]] = {
    401: AuthenticationFailed,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    422: InvalidRequest,
}


def error_for_status(status_code: int) -> type[MojitoAPIError]:
    """The error class for an HTTP status (any 5xx -> ServerError, other 4xx -> MojitoAPIError)."""
    if status_code >= 500:
        return ServerError
    return STATUS_ERRORS.get(status_code, MojitoAPIError)
