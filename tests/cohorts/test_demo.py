import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cohorts.demo import DEMO_PASSWORD, demo_data_load
from cohorts.models import Cohort
from members.models import Member, Organization, OrganizationRole, Region
from members.permissions import members_visible_to

pytestmark = pytest.mark.django_db


def test_demo_tells_the_seed_story():
    demo_data_load()

    cohort = Cohort.objects.get(slug="tot-dialog-sosial-lubuklinggau")
    assert cohort.kind == Cohort.Kind.TOT
    assert cohort.status == Cohort.Status.OPEN
    assert sorted(cohort.organizers.values_list("short_name", flat=True)) == ["KSBSI", "KSPI"]
    assert cohort.region.code == "16.73"
    assert cohort.region.parent.code == "16"
    assert Region.objects.get(code="16").name == "Sumatera Selatan"


def test_demo_accounts_can_log_in_and_hold_their_roles(client):
    accounts = {account.role: account for account in demo_data_load()}

    for account in accounts.values():
        assert client.login(username=account.email, password=DEMO_PASSWORD)
        client.logout()
    organizer = get_user_model().objects.get(email=accounts["organizer"].email)
    trainer = get_user_model().objects.get(email=accounts["trainer"].email)
    assert organizer.organization_roles.get().role == OrganizationRole.Role.ORGANIZER
    assert trainer.organization_roles.get().role == OrganizationRole.Role.TRAINER
    assert Member.objects.filter(user__email=accounts["participant"].email).exists()


def test_loading_twice_changes_nothing():
    demo_data_load()
    counts = [
        model.objects.count()
        for model in (Region, Organization, Cohort, Member, OrganizationRole, get_user_model())
    ]

    demo_data_load()

    assert counts == [
        model.objects.count()
        for model in (Region, Organization, Cohort, Member, OrganizationRole, get_user_model())
    ]


def test_command_prints_the_demo_logins(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo_data")

    output = capsys.readouterr().out
    assert "penyelenggara@example.org" in output
    assert DEMO_PASSWORD in output


def test_command_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
    assert not get_user_model().objects.exists()


def test_demo_builds_both_union_trees_with_200_members():
    accounts = {account.role: account for account in demo_data_load()}

    assert Member.objects.filter(organization__kind="workplace_union").count() == 200
    for confederation, federation in (("KSPI", "FSPMI"), ("KSBSI", "F-HUKATAN")):
        assert Organization.objects.filter(
            short_name=federation, parent__short_name=confederation
        ).exists()
    organizer = get_user_model().objects.get(email=accounts["organizer"].email)
    assert members_visible_to(organizer).filter(organization__parent__short_name="FSPMI").count()
