from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from members.services.sessions import session_clear_expired

pytestmark = pytest.mark.django_db


def test_clearing_sessions_removes_only_expired_ones():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="new", session_data="", expire_date=now + timedelta(1))

    assert session_clear_expired() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
