"""ApiCall rows are written through their own connection and survive the caller's rollback."""

import pytest
from django.db import connections, transaction

from mojito.calllog_db import calllog_alias
from mojito.errors import MojitoError
from mojito.models import ApiCall

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_the_call_log_has_a_connection_of_its_own():
    assert calllog_alias() != "default"
    assert connections[calllog_alias()] is not connections["default"]


def test_a_failed_call_inside_a_rolled_back_transaction_leaves_its_row(sandbox):
    from recruiting.services.client import get_client

    with pytest.raises(Boom), transaction.atomic():
        with pytest.raises(MojitoError):
            get_client().get_interview_result_details("00000000-0000-4000-8000-00000000dead")
        raise Boom
    call = ApiCall.objects.get(endpoint="job-interview-details")
    assert (call.status_code, call.ok) == (404, False) and call.error


def test_a_successful_call_inside_a_rolled_back_transaction_leaves_its_row(sandbox):
    from recruiting.services.client import get_client

    with pytest.raises(Boom), transaction.atomic():
        get_client().list_avatars()
        raise Boom
    assert ApiCall.objects.filter(endpoint="merchant-avatar-list", ok=True).count() == 1
