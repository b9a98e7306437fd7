from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)
from tot_platform.celery import app as celery_app


@pytest.fixture(scope="session", autouse=True)
def _static_manifest():
    """Pages render hashed static names (DEBUG is off); bin/test collects before each run,
    this covers a bare `pytest`."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness buys nothing in tests that create many accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request to /en/... leaves English active in this thread; the next test must not
    inherit it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits count in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_inline(request):
    """A task handed to Celery runs at once in the test process, as a worker would run
    it; tests marked ``real_worker`` go through Redis and a real worker instead."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def organizer(organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="organizer")
    return user


@pytest.fixture
def trainer(organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="trainer")
    return user


@pytest.fixture
def participant(organization):
    user = UserFactory()
    MemberFactory(user=user, organization=organization)
    return user
