import pytest
from django.core.cache import cache

from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits count in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


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
