"""The sandbox's JobMojito API handlers, one module per resource family.

Each handler is ``handle_<endpoint with - as _>(sandbox, request) -> Response``; ``ENDPOINTS`` maps the
endpoint name (the path segment after ``/functions/v1/``) to its module and whether it is a read
(GET with query parameters, also accepted as POST with a JSON body).
"""

ENDPOINTS: dict[str, tuple[str, bool]] = {
    "job-interview-create": ("interviews", False),
    "job-interview-create-from-array": ("interviews", False),
    "job-interview-get": ("interviews", True),
    "job-interview-set-state": ("interviews", False),
    "merchant-interview-list": ("interviews", True),
    "job-interview-create-for-candidate-with-token": ("candidates", False),
    "job-interview-token": ("candidates", False),
    "job-interview-register-users": ("candidates", False),
    "invite-users": ("candidates", False),
    "merchant-candidate-list": ("candidates", True),
    "job-interview-details": ("results", True),
    "job-interview-pdf": ("results", False),
    "job-interview-result-request-another-attempt": ("results", False),
    "merchant-result-list": ("results", True),
    "pre-screening-create": ("prescreening", False),
    "job-interview-pre-screening-api-resume-text": ("prescreening", False),
    "job-interview-pre-screening-api-resume-binary": ("prescreening", False),
    "knowledge-base-document-upload": ("knowledge", False),
    "merchant-avatar-list": ("merchant", True),
    "merchant-status": ("merchant", True),
}


def handler_name(endpoint: str) -> str:
    return "handle_" + endpoint.replace("-", "_")
