"""The organizer's reach report page and its CSV/XLSX export, over the hand-computed scene
of tests/cohorts/reach_scene.py (its figures are worked out in test_reach_report.py)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cohorts.models import Cohort, Enrollment
from members.models import Region
from tests.cohorts.factories import AssessmentAttemptFactory, CohortFactory, EnrollmentFactory
from tests.cohorts.reach_scene import MEMBERS, reach_scene
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COMPLETED = Enrollment.Status.COMPLETED


def _url(name: str = "cohorts:reach", **query) -> str:
    with translation.override("en"):
        url = reverse(name)
    if not query:
        return url
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items())


@pytest.fixture
def scene():
    return reach_scene()


@pytest.fixture
def kspi_organizer(client, scene):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=scene.organizations["KSPI"])
    client.force_login(user)
    return user


def _flat(response) -> str:
    return response.content.decode().replace("\n", "").replace(" ", "")


def test_the_organizer_sees_every_tot_of_their_organizations(client, scene, kspi_organizer):
    response = client.get(_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="reach-total">13<' in _flat(response)
    assert "2 TOTs organized by your organizations" in page
    for text in (
        "Sumatera Selatan",
        "Kota Palembang",
        "Regency/city not known",
        "FSPMI",
        "HUKATAN",
        "Outside any confederation",
        "No federation",
        "More than 180 days",
        "How these figures are counted",
    ):
        assert text in page
    assert [w for _g, w in response.context["generations"]] == ["83.33", "100", "33.33"]
    # Trainer path of the 13 reached: 8 participants, 5 trainers (see test_reach_report).
    assert [(stage.members, width) for stage, width in response.context["stages"]] == [
        (8, "61.54"),
        (0, "0"),
        (5, "38.46"),
    ]
    assert "Trainer path of the members reached" in page


def test_the_report_names_nobody(client, scene, kspi_organizer):
    page = client.get(_url()).content.decode()

    assert not [name for name in MEMBERS if f"Anggota {name}" in page]


def test_one_tot_by_its_slug(client, scene, kspi_organizer):
    response = client.get(_url(tot=scene.tot.slug))

    assert response.status_code == 200
    assert response.context["report"].members_reached == 9
    assert "TOT Lubuklinggau and the cascades that grew from it." in (response.content.decode())


def test_the_date_and_organization_filters(client, scene, kspi_organizer):
    kspi = scene.organizations["KSPI"]

    response = client.get(_url(organization=kspi.pk, **{"from": "2025-03-01", "to": "2025-06-30"}))

    # Of KSPI, in cohorts ending 1 March – 30 June: P3 and B (generation 1: Y, V), Q1, Q2
    # and A (generation 2: W); no KSPI member graduated from TOT2.
    report = response.context["report"]
    assert [(g.generation, g.cohorts, g.members_reached) for g in report.generations] == [
        (0, 1, 0),
        (1, 2, 2),
        (2, 1, 3),
    ]
    assert report.multiplier is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2025-06-30", "to": "2025-03-01"}, "must not come before its start"),
        ({"from": "30/06/2025"}, "Enter a valid date."),
        ({"organization": "KSBSI"}, "Select a valid choice."),
        ({"tot": "not-a-tot"}, "Select a valid choice."),
    ],
)
def test_bad_filters_say_what_is_wrong(client, scene, kspi_organizer, query, message):
    if query.get("organization") == "KSBSI":  # another confederation: not in this reach
        query = {"organization": scene.organizations["KSBSI"].pk}

    response = client.get(_url(**query))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'id="reach-invalid"' in page
    assert response.context["report"] is None


def test_another_organizations_tot_is_not_a_choice(client, scene, kspi_organizer):
    other = CohortFactory(organizers=[OrganizationFactory()], kind=Cohort.Kind.TOT)

    response = client.get(_url(tot=other.slug))

    assert "Select a valid choice." in response.content.decode()


def test_workplace_unions_are_not_offered_as_a_filter(client, scene, kspi_organizer):
    choices = client.get(_url()).context["form"].fields["organization"].queryset

    assert scene.organizations["FSPMI"] in choices
    assert scene.organizations["PUK Sinar"] not in choices


def test_nothing_in_range_shows_an_empty_state(client, scene, kspi_organizer):
    response = client.get(_url(**{"from": "2030-01-01"}))

    assert "No training matches these filters." in response.content.decode()


def test_an_organizer_without_tots_is_told_so(client, organizer):
    client.force_login(organizer)

    response = client.get(_url())

    assert "Your organizations have not organized a TOT yet." in response.content.decode()


def test_a_graduate_leading_a_cascade_without_an_organizers_role_gets_404(client, scene):
    lead = scene.cohorts["X"].lead_trainers.get()
    lead.user = UserFactory()
    lead.save(update_fields=["user"])
    client.force_login(lead.user)

    assert client.get(_url()).status_code == 404
    assert client.get(_url("cohorts:reach_export")).status_code == 404
    with translation.override("en"):
        cascade = client.get(reverse("cohorts:cascade", kwargs={"slug": scene.cohorts["X"].slug}))
    assert cascade.status_code == 200
    assert cascade.context["reach_report_url"] is None


def test_the_tots_cascade_page_links_to_its_report(client, scene, kspi_organizer):
    with translation.override("en"):
        response = client.get(reverse("cohorts:cascade", kwargs={"slug": scene.tot.slug}))

    assert f"/en/cohorts/reach/?tot={scene.tot.slug}" in response.content.decode()


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_export_has_a_line_per_figure(client, scene, kspi_organizer):
    response = client.get(_url("cohorts:reach_export", format="csv"))

    rows = _csv(response)
    assert response["Content-Disposition"].startswith('attachment; filename="reach-all-')
    assert rows[0] == ["Section", "Row", "Sub-row", "Column", "Value"]
    for row in (
        ["Summary", "Members reached", "", "Value", "13"],
        ["Summary", "Multiplier", "", "Value", "1.60"],
        ["Summary", "Graduates who ran a cascade (%)", "", "Value", "80.0"],
        ["Summary", "Median days to the first cascade", "", "Value", "85.5"],
        ["Generations", "1", "", "Members reached", "6"],
        ["Generations", "0", "", "Average gain (points)", "27.5"],
        ["Provinces", "Sumatera Selatan", "Total", "Members reached", "9"],
        ["Provinces", "Sumatera Selatan", "Regency/city not known", "Members reached", "1"],
        ["Organizations", "KSBSI", "No federation", "Members reached", "2"],
        ["Organizations", "Outside any confederation", "FSP Mandiri", "Members reached", "1"],
        ["First cascades", "31–90 days", "", "Graduates", "1"],
        ["Trainer path", "Trainer", "", "Members reached", "5"],
        ["Trainer path", "Ever led a training", "", "Members reached", "5"],
    ):
        assert row in rows


def test_the_xlsx_export_has_a_sheet_per_table_and_the_same_filters(client, scene, kspi_organizer):
    query = {"tot": scene.tot.slug, "organization": scene.organizations["KSPI"].pk}

    response = client.get(_url("cohorts:reach_export", format="xlsx", **query))

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [
        "Summary",
        "Generations",
        "Provinces",
        "Organizations",
        "First cascades",
        "Trainer path",
    ]
    # KSPI members reached: A, B, P1 led a training; P2, P3, Q1, Q2 took part.
    path = {row[0]: row[1] for row in book["Trainer path"].iter_rows(values_only=True)}
    assert (path["Participant"], path["Co-facilitator"], path["Trainer"]) == (4, 0, 3)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    # TOT only, KSPI members: A, B; P1, P2, P3; Q1, Q2.
    assert summary["TOT"] == "TOT Lubuklinggau"
    assert summary["Members of"] == "KSPI"
    assert summary["Members reached"] == 7
    generations = list(book["Generations"].iter_rows(values_only=True))
    assert generations[1][:4] == (0, 1, 2, 2)
    assert Decimal(str(generations[1][6])) == Decimal("25.0")


def test_a_bad_export_downloads_nothing(client, scene, kspi_organizer):
    response = client.get(
        _url("cohorts:reach_export", format="csv", **{"from": "2025-06-30", "to": "2025-03-01"})
    )

    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "must not come before its start" in response.content.decode()


def test_an_unknown_export_format_is_not_found(client, scene, kspi_organizer):
    assert client.get(_url("cohorts:reach_export", format="pdf")).status_code == 404


def _deep_tree(depth: int, organization) -> Cohort:
    """A TOT and ``depth`` cascades below one another; three graduates each, with tests,
    own regions (and not) and members of a federation below ``organization``."""
    federation = OrganizationFactory(kind="federation", parent=organization)
    regency = Region.objects.get(code="16.73")
    root = parent = CohortFactory(organizers=[organization], status=Cohort.Status.COMPLETED)
    for level in range(depth + 1):
        seats = [
            EnrollmentFactory(
                cohort=parent,
                status=COMPLETED,
                member=MemberFactory(organization=federation, region=regency if number else None),
            )
            for number in range(3)
        ]
        for seat in seats:
            AssessmentAttemptFactory(enrollment=seat, score_percent=Decimal(40))
            AssessmentAttemptFactory(enrollment=seat, kind="post", score_percent=Decimal(70))
        if level < depth:
            parent = CohortFactory(
                kind=Cohort.Kind.CASCADE, parent=parent, status=Cohort.Status.COMPLETED
            )
            parent.lead_trainers.set([seats[0].member])
    return root


# session, user, roles; the organization chosen; the roots (all TOTs) or the TOT chosen;
# the five report queries; then for the page only: the TOT and organization choices and
# the navigation's "does this user train".
PAGE_QUERIES = {"cohorts:reach": 13, "cohorts:reach_export": 10}


@pytest.mark.parametrize("depth", [2, 6])
@pytest.mark.parametrize("name", sorted(PAGE_QUERIES))
def test_the_page_and_the_export_take_the_same_queries_at_any_depth(
    client, organizer, organization, depth, name, django_assert_max_num_queries
):
    root = _deep_tree(depth, organization)
    client.force_login(organizer)
    everything = {"organization": organization.pk, "from": "2026-01-01", "to": "2027-12-31"}

    with django_assert_max_num_queries(PAGE_QUERIES[name]):
        response = client.get(_url(name, **everything))
    with django_assert_max_num_queries(PAGE_QUERIES[name]):
        one = client.get(_url(name, tot=root.slug, **everything))

    assert response.status_code == one.status_code == 200
    if name == "cohorts:reach":
        assert len(one.context["report"].generations) == depth + 1
        assert one.context["report"].members_reached == 3 * (depth + 1)
