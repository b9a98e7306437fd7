from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from cohorts.ratelimits import rate_limit_hit


def _post_from(address: str, *, proxy: str = "10.0.0.1"):
    request = RequestFactory().post(
        "/cohorts/x/register/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=address
    )
    request.user = AnonymousUser()
    return request


def test_behind_a_proxy_each_visitor_has_their_own_ip_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    first = [rate_limit_hit(_post_from("36.80.1.1"), action="t", spec="2/m/ip") for _ in range(3)]
    other = rate_limit_hit(_post_from("36.80.2.2"), action="t", spec="2/m/ip")

    assert first == [False, False, True]
    assert other is False


def test_without_a_trusted_proxy_a_forged_header_does_not_dodge_the_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0

    hits = [
        rate_limit_hit(_post_from(f"36.80.9.{n}", proxy="36.80.0.7"), action="t", spec="2/m/ip")
        for n in range(3)
    ]

    assert hits == [False, False, True]
