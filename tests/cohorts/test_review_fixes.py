"""Regressions found in review: co-organizers kept, archived curricula still editable,
implausible dates refused, calendar sequences, zones on duplication, the default close
of registration, held sessions, stale session objects."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import Cohort, Session
from cohorts.selectors import registration_window
from cohorts.services.cohorts import cohort_duplicate, cohort_update
from cohorts.services.sessions import session_update
from curriculum.models import Curriculum
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.curriculum.factories import full_curriculum
from tests.members.factories import OrganizationFactory, ProvinceFactory, RegencyFactory

pytestmark = pytest.mark.django_db

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


def _edit_post(cohort: Cohort, **overrides) -> dict:
    data = {
        "title": cohort.title,
        "curriculum": cohort.curriculum_id,
        "organizers": [org.pk for org in cohort.organizers.all()],
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "region": cohort.region_id,
        "time_zone": cohort.time_zone,
        "capacity": cohort.capacity,
        "min_attendance_percent": cohort.min_attendance_percent,
    }
    return data | overrides


def test_editing_a_joint_cohort_keeps_the_partner_branch_it_cannot_manage(
    client, organizer, organization
):
    partner_branch = OrganizationFactory(
        parent=OrganizationFactory(short_name="KSBSI"), kind="regional_council"
    )
    cohort = CohortFactory(organizers=[organization, partner_branch], status="draft")
    client.force_login(organizer)

    response = client.post(
        reverse("cohorts:edit", kwargs={"slug": cohort.slug}),
        _edit_post(cohort, title="Judul baru", organizers=[organization.pk]),
    )

    assert response.status_code == 302
    assert set(cohort.organizers.all()) == {organization, partner_branch}


def test_an_open_cohort_whose_curriculum_was_archived_can_still_be_edited(
    client, organizer, organization
):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.OPEN)
    Curriculum.objects.filter(pk=cohort.curriculum_id).update(status=Curriculum.Status.ARCHIVED)
    client.force_login(organizer)

    response = client.post(
        reverse("cohorts:edit", kwargs={"slug": cohort.slug}), _edit_post(cohort, capacity=40)
    )

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.capacity == 40


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("cohorts:create", {"starts_on": "2027-01-01", "ends_on": "9999-12-31"}),
        ("cohorts:duplicate", {"title": "Salinan", "starts_on": "9999-12-30"}),
        ("cohorts:session_plan", {"action": "propose", "start_date": "9999-12-31"}),
    ],
)
def test_implausible_dates_get_a_message_not_an_error(
    client, organizer, organization, url_name, data
):
    cohort = CohortFactory(
        organizers=[organization], status="draft", curriculum=full_curriculum(modules=1)
    )
    client.force_login(organizer)
    kwargs = {} if url_name == "cohorts:create" else {"slug": cohort.slug}
    common = {
        "title": "TOT",
        "curriculum": cohort.curriculum_id,
        "organizers": [organization.pk],
        "region": cohort.region_id,
        "capacity": "20",
        "min_attendance_percent": "80",
        "day_start": "08:30",
        "day_end": "16:30",
        "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
    }

    response = client.post(reverse(url_name, kwargs=kwargs), common | data)

    assert response.status_code == 200
    assert "Pilih tanggal antara 2000 dan 2099." in response.content.decode()
    assert Cohort.objects.count() == 1


def test_renaming_a_cohort_or_moving_its_venue_raises_every_sessions_sequence(organizer):
    cohort = CohortFactory(organizers=[organizer.organization_roles.get().organization])
    session = SessionFactory(cohort=cohort)

    cohort_update(cohort=cohort, by=organizer, venue_name="Aula baru")
    cohort_update(cohort=cohort, by=organizer, capacity=50)

    session.refresh_from_db()
    assert session.sequence == 1


def test_duplicating_into_another_zone_keeps_registration_wall_clock_times(organizer):
    source = CohortFactory(
        organizers=[organizer.organization_roles.get().organization],
        time_zone="Asia/Jakarta",
        registration_closes_at=dt.datetime(2026, 12, 10, 17, tzinfo=WIB),
    )
    makassar = RegencyFactory(parent=ProvinceFactory(code="73"), code="73.98")

    copy = cohort_duplicate(
        source=source,
        by=organizer,
        title="TOT Makassar",
        starts_on=source.starts_on + dt.timedelta(days=7),
        region=makassar,
    )

    assert copy.time_zone == "Asia/Makassar"
    assert copy.registration_closes_at == dt.datetime(2026, 12, 17, 17, tzinfo=WITA)


def test_registration_closes_by_default_when_the_first_session_starts():
    cohort = CohortFactory(status=Cohort.Status.OPEN, time_zone="Asia/Jakarta")
    first = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime.combine(cohort.starts_on, dt.time(13), tzinfo=WIB),
        ends_at=dt.datetime.combine(cohort.starts_on, dt.time(15), tzinfo=WIB),
    )
    SessionFactory(
        cohort=cohort,
        status=Session.Status.CANCELLED,
        starts_at=dt.datetime.combine(cohort.starts_on, dt.time(8), tzinfo=WIB),
        ends_at=dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=WIB),
    )

    window = registration_window(cohort=cohort, now=first.starts_at - dt.timedelta(hours=1))

    assert window.closes_at == first.starts_at
    assert window.is_open
    assert not registration_window(cohort=cohort, now=first.starts_at).is_open


def test_a_held_session_cannot_be_moved():
    session = SessionFactory(status=Session.Status.HELD)

    with pytest.raises(ValidationError, match="terlaksana"):
        session_update(
            session=session,
            title=session.title,
            starts_at=session.starts_at + dt.timedelta(hours=1),
            ends_at=session.ends_at + dt.timedelta(hours=1),
        )

    assert Session.objects.get(pk=session.pk).starts_at == session.starts_at


def test_two_edits_from_stale_copies_each_raise_the_sequence():
    session = SessionFactory()
    first_copy, second_copy = Session.objects.get(pk=session.pk), Session.objects.get(pk=session.pk)

    for copy, hour in ((first_copy, 1), (second_copy, 2)):
        session_update(
            session=copy,
            title=copy.title,
            starts_at=session.starts_at + dt.timedelta(hours=hour),
            ends_at=session.ends_at + dt.timedelta(hours=hour),
        )

    session.refresh_from_db()
    assert session.sequence == 2


def test_another_cohorts_session_behind_an_own_slug_is_not_found(client, organizer, organization):
    own = CohortFactory(organizers=[organization], status="draft")
    foreign_session = SessionFactory(cohort=CohortFactory(organizers=[OrganizationFactory()]))
    client.force_login(organizer)
    kwargs = {"slug": own.slug, "pk": foreign_session.pk}

    assert client.get(reverse("cohorts:session_edit", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("cohorts:session_cancel", kwargs=kwargs)).status_code == 404
    foreign_session.refresh_from_db()
    assert foreign_session.status == Session.Status.SCHEDULED


def test_another_organizations_cohort_cannot_be_published_or_cancelled(client, organizer):
    foreign = CohortFactory(organizers=[OrganizationFactory()], status="draft")
    SessionFactory(cohort=foreign)
    client.force_login(organizer)

    for status in ("open", "cancelled"):
        response = client.post(
            reverse("cohorts:transition", kwargs={"slug": foreign.slug}), {"to_status": status}
        )
        assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Cohort.Status.DRAFT
