import pytest
from django.urls import reverse

from tests.cohorts.factories import CohortFactory

pytestmark = pytest.mark.django_db


def nav_links(response) -> str:
    page = response.content.decode()
    return page[page.index('id="main-nav"') : page.index("</nav>")]


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        ("anonymous", ["Masuk", "Daftar"], ["Dasbor saya", "Kelola kohort"]),
        (
            "participant",
            ["Dasbor saya", "Profil saya", "Keluar"],
            ["Kelola kohort", "Anggota", "Laporan jangkauan"],
        ),
        (
            "trainer",
            ["Dasbor saya", "Anggota", "Organisasi"],
            ["Kelola kohort", "Profil saya", "Laporan jangkauan"],
        ),
        (
            "organizer",
            ["Dasbor saya", "Anggota", "Kelola kohort", "Laporan jangkauan"],
            ["Masuk", "Profil saya"],
        ),
    ],
)
def test_navbar_offers_what_the_role_can_reach(client, request, role, sees, does_not_see):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    links = nav_links(client.get(reverse("cohorts:home")))

    for label in sees:
        assert label in links
    for label in does_not_see:
        assert label not in links


def test_dashboard_shows_the_organizers_cohorts(client, organizer, organization):
    CohortFactory(title="TOT Lubuklinggau", organizers=[organization])
    client.force_login(organizer)

    page = client.get(reverse("members:dashboard")).content.decode()

    assert 'id="organizer"' in page
    assert "TOT Lubuklinggau" in page
    assert 'id="trainer"' not in page


def test_dashboard_shows_the_participants_member_record(client, participant):
    client.force_login(participant)

    page = client.get(reverse("members:dashboard")).content.decode()

    assert participant.member.full_name in page
    assert 'id="organizer"' not in page


@pytest.mark.parametrize("count", [1, 6])
def test_dashboard_query_count_is_fixed(
    client, organizer, organization, count, django_assert_max_num_queries
):
    CohortFactory.create_batch(count, organizers=[organization])
    client.force_login(organizer)

    # session + user (2), member (1), organizer and trainer organizations (2), reach (1),
    # cohorts (1) + their organizers (1), navbar: own member record (1)
    with django_assert_max_num_queries(9):
        client.get(reverse("members:dashboard"))
