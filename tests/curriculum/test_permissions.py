"""Who may publish, change, make versions and download, by POST and by role."""

import pytest
from django.urls import reverse
from django.utils import translation

from curriculum.models import Curriculum
from curriculum.permissions import can_download_material, can_edit_curriculum
from members.models import Organization
from tests.cohorts.factories import CohortFactory
from tests.curriculum.factories import DraftCurriculumFactory, ModuleFactory, full_curriculum
from tests.curriculum.permission_rows import file_material
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def outsider_organizer(db):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=OrganizationFactory(), role="organizer")
    return user


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("participant", False),
        ("trainer", False),
        ("outsider_organizer", False),
        ("organizer", True),
    ],
)
def test_only_organizers_of_the_owner_publish(client, request, organization, role, allowed):
    curriculum = DraftCurriculumFactory(owner=organization)
    ModuleFactory(curriculum=curriculum)
    client.force_login(request.getfixturevalue(role))

    response = client.post(en("curriculum:publish", pk=curriculum.pk))

    curriculum.refresh_from_db()
    assert response.status_code == (302 if allowed else 404)
    expected = Curriculum.Status.PUBLISHED if allowed else Curriculum.Status.DRAFT
    assert curriculum.status == expected


@pytest.mark.parametrize("role", ["participant", "trainer", "outsider_organizer"])
def test_others_can_neither_change_modules_nor_make_versions(client, request, organization, role):
    curriculum = full_curriculum(owner=organization, publish=False)
    module = curriculum.modules.first()
    client.force_login(request.getfixturevalue(role))

    edit = client.post(
        en("curriculum:module_edit", pk=module.pk), {"title": "X", "duration_minutes": 5}
    )
    move = client.post(en("curriculum:module_move", pk=module.pk), {"direction": "down"})
    Curriculum.objects.filter(pk=curriculum.pk).update(status=Curriculum.Status.PUBLISHED)
    version = client.post(en("curriculum:new_version", pk=curriculum.pk))

    assert (edit.status_code, move.status_code, version.status_code) == (404, 404, 404)
    module.refresh_from_db()
    assert module.title != "X"
    assert Curriculum.objects.filter(slug=curriculum.slug).count() == 1


def test_who_may_download(organization, organizer, trainer, participant, outsider_organizer,
                          settings, tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    curriculum = DraftCurriculumFactory(owner=organization)
    material = file_material(curriculum=curriculum)
    Curriculum.objects.filter(pk=curriculum.pk).update(status=Curriculum.Status.PUBLISHED)
    material.curriculum.refresh_from_db()
    other_participant = UserFactory()
    MemberFactory(user=other_participant, organization=OrganizationFactory())
    superuser = UserFactory(is_superuser=True)

    def allowed():
        return {
            name: can_download_material(user, material)
            for name, user in {
                "organizer": organizer,
                "trainer": trainer,
                "participant": participant,
                "outsider_organizer": outsider_organizer,
                "other_participant": other_participant,
                "superuser": superuser,
            }.items()
        }

    assert allowed() == {
        "organizer": True,
        "trainer": True,
        "participant": False,
        "outsider_organizer": False,
        "other_participant": False,
        "superuser": True,
    }
    CohortFactory(curriculum=curriculum, organizers=[organization])
    assert allowed()["participant"] is True
    assert allowed()["other_participant"] is False


def test_drafts_are_hidden_from_everyone_but_the_owners_organizers(
    client, organization, organizer, trainer, outsider_organizer
):
    draft = DraftCurriculumFactory(owner=organization)

    for user, status in ((organizer, 200), (trainer, 404), (outsider_organizer, 404)):
        client.force_login(user)
        assert client.get(en("curriculum:detail", pk=draft.pk)).status_code == status
    assert can_edit_curriculum(organizer, draft)
    assert not can_edit_curriculum(trainer, draft)


def test_an_organizer_reaches_curricula_owned_below_their_organization(
    client, organization, organizer
):
    federation = OrganizationFactory(
        kind=Organization.Kind.FEDERATION, parent=organization, name="Federasi", short_name="F"
    )
    curriculum = DraftCurriculumFactory(owner=federation)
    ModuleFactory(curriculum=curriculum)
    client.force_login(organizer)

    client.post(en("curriculum:publish", pk=curriculum.pk))

    curriculum.refresh_from_db()
    assert curriculum.status == Curriculum.Status.PUBLISHED
