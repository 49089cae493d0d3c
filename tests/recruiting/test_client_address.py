from recruiting.client_address import client_address


def test_it_uses_the_connection_address_without_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "203.0.113.9"  # a client-sent header is not trusted


def test_it_takes_the_address_our_proxies_saw(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"  # the spoofed left entry is ignored
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"


def test_it_falls_back_when_the_request_did_not_pass_our_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "203.0.113.9"


def test_the_apply_rate_limit_counts_this_address(settings):
    assert settings.RATELIMIT_IP_META_KEY == "recruiting.client_address.client_address"
