import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cohorts.models import Cohort, CohortStatusChange, Session
from tests.cohorts.factories import CohortFactory, SessionFactory, bulk_cohorts
from tests.curriculum.factories import DraftCurriculumFactory, full_curriculum
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    RegencyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")


def _cohort_post(curriculum, organization, region, **overrides) -> dict:
    data = {
        "title": "TOT Dialog Sosial Makassar",
        "curriculum": curriculum.pk,
        "organizers": [organization.pk],
        "starts_on": "2027-02-01",
        "ends_on": "2027-02-03",
        "region": region.pk,
        "time_zone": "",
        "capacity": "25",
        "registration_opens_at": "2027-01-04T08:00",
        "registration_closes_at": "2027-01-25T17:00",
        "min_attendance_percent": "80",
    }
    return data | overrides


def test_organizer_creates_a_draft_cohort_in_the_regions_zone(client, organizer, organization):
    curriculum = full_curriculum(owner=organization)
    makassar = RegencyFactory(parent__code="73", code="73.99", name="Kota Contoh")
    partner = OrganizationFactory(short_name="KSBSI", parent=None)
    client.force_login(organizer)

    response = client.post(
        reverse("cohorts:create"),
        _cohort_post(
            curriculum,
            organization,
            makassar,
            organizers=[organization.pk, partner.pk],
            registration_questions=["motivation", "experience"],
        ),
    )

    cohort = Cohort.objects.get(title="TOT Dialog Sosial Makassar")
    assert response.url == reverse("cohorts:manage_detail", kwargs={"slug": cohort.slug})
    assert cohort.status == Cohort.Status.DRAFT
    assert cohort.time_zone == "Asia/Makassar"
    # Typed as 08:00 in the cohort's zone (WITA), stored as 00:00 UTC.
    assert cohort.registration_opens_at == dt.datetime(2027, 1, 4, 8, tzinfo=WITA)
    assert set(cohort.organizers.all()) == {organization, partner}
    assert cohort.status_changes.get().changed_by == organizer
    assert cohort.registration_questions == ["motivation", "experience"]


def test_a_draft_curriculum_cannot_be_scheduled_and_nothing_is_saved(
    client, organizer, organization
):
    draft = DraftCurriculumFactory(owner=organization)
    client.force_login(organizer)

    response = client.post(
        reverse("cohorts:create"), _cohort_post(draft, organization, RegencyFactory())
    )

    assert response.status_code == 200
    assert "curriculum" in response.context["form"].errors
    assert not Cohort.objects.exists()


def test_registration_closing_before_it_opens_is_refused(client, organizer, organization):
    client.force_login(organizer)
    data = _cohort_post(
        full_curriculum(owner=organization),
        organization,
        RegencyFactory(),
        registration_closes_at="2027-01-01T08:00",
    )

    response = client.post(reverse("cohorts:create"), data)

    assert "registration_closes_at" in response.context["form"].errors
    assert not Cohort.objects.exists()


def test_edit_form_shows_and_reads_times_in_the_cohorts_zone(client, organizer, organization):
    cohort = CohortFactory(
        organizers=[organization],
        time_zone="Asia/Makassar",
        status=Cohort.Status.DRAFT,
        registration_opens_at=dt.datetime(2026, 11, 30, 9, tzinfo=WITA),
    )
    client.force_login(organizer)
    url = reverse("cohorts:edit", kwargs={"slug": cohort.slug})

    page = client.get(url).content.decode()
    assert 'value="2026-11-30T09:00"' in page

    data = _cohort_post(cohort.curriculum, organization, cohort.region, time_zone="Asia/Makassar")
    data |= {"starts_on": "2026-12-14", "ends_on": "2026-12-16"}
    data |= {"registration_opens_at": "2026-12-01T10:30", "registration_closes_at": ""}
    assert client.post(url, data).status_code == 302
    cohort.refresh_from_db()
    assert cohort.registration_opens_at == dt.datetime(2026, 12, 1, 10, 30, tzinfo=WITA)


def test_publishing_without_sessions_is_refused_with_a_message(client, organizer, organization):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    client.force_login(organizer)

    response = client.post(
        reverse("cohorts:transition", kwargs={"slug": cohort.slug}),
        {"to_status": Cohort.Status.OPEN},
        follow=True,
    )

    assert "Rencanakan paling sedikit satu sesi sebelum menerbitkan." in [
        str(message) for message in response.context["messages"]
    ]
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.DRAFT


def test_publishing_a_planned_cohort_opens_it_and_records_who(client, organizer, organization):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    SessionFactory(cohort=cohort)
    client.force_login(organizer)

    client.post(
        reverse("cohorts:transition", kwargs={"slug": cohort.slug}),
        {"to_status": Cohort.Status.OPEN},
    )

    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.OPEN
    change = CohortStatusChange.objects.get(cohort=cohort)
    assert (change.from_status, change.to_status, change.changed_by) == ("draft", "open", organizer)


def test_a_trainer_clash_blocks_the_session_and_names_the_other_one(
    client, organizer, organization
):
    trainer = MemberFactory(full_name="Budi Santoso", organization=organization)
    elsewhere = CohortFactory(title="TOT Palembang", time_zone="Asia/Jakarta")
    SessionFactory(cohort=elsewhere, title="Hak berserikat", trainers=[trainer])
    cohort = CohortFactory(
        organizers=[organization], status=Cohort.Status.DRAFT, time_zone="Asia/Jakarta"
    )
    cohort.lead_trainers.set([trainer])
    client.force_login(organizer)

    response = client.post(
        reverse("cohorts:session_create", kwargs={"slug": cohort.slug}),
        {
            "title": "Dialog sosial",
            "day": cohort.starts_on.isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "trainers": [trainer.pk],
        },
    )

    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert "Budi Santoso" in errors[0]
    assert "Hak berserikat" in errors[0]
    assert "TOT Palembang" in errors[0]
    assert not cohort.sessions.exists()


def test_organizer_moves_a_session_and_its_sequence_goes_up(client, organizer, organization):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    session = SessionFactory(cohort=cohort, title="Pembukaan")
    client.force_login(organizer)

    client.post(
        reverse("cohorts:session_edit", kwargs={"slug": cohort.slug, "pk": session.pk}),
        {
            "title": "Pembukaan",
            "day": cohort.starts_on.isoformat(),
            "start_time": "13:00",
            "end_time": "14:00",
        },
    )

    session.refresh_from_db()
    assert session.starts_at == dt.datetime.combine(
        cohort.starts_on, dt.time(13), tzinfo=ZoneInfo(cohort.time_zone)
    )
    assert session.sequence == 1


def test_cancelling_a_session_from_the_page(client, organizer, organization):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    session = SessionFactory(cohort=cohort)
    client.force_login(organizer)

    client.post(reverse("cohorts:session_cancel", kwargs={"slug": cohort.slug, "pk": session.pk}))

    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_duplicate_copies_the_shape_onto_new_dates(client, organizer, organization):
    curriculum = full_curriculum(modules=1)
    module = curriculum.modules.get()
    cohort = CohortFactory(organizers=[organization], curriculum=curriculum)
    SessionFactory(cohort=cohort, title="Pembukaan", modules=[module])
    client.force_login(organizer)

    response = client.post(
        reverse("cohorts:duplicate", kwargs={"slug": cohort.slug}),
        {"title": "TOT Dialog Sosial Jambi", "starts_on": "2027-03-01", "region": cohort.region.pk},
    )

    copy = Cohort.objects.get(title="TOT Dialog Sosial Jambi")
    assert response.url == reverse("cohorts:manage_detail", kwargs={"slug": copy.slug})
    assert copy.status == Cohort.Status.DRAFT
    assert copy.starts_on == dt.date(2027, 3, 1)
    copied = copy.sessions.get()
    assert copied.title == "Pembukaan"
    assert list(copied.modules.all()) == [module]
    assert copied.starts_at.astimezone(ZoneInfo(copy.time_zone)).time() == dt.time(9)


def test_manage_detail_lists_every_clash_of_the_cohort(client, organizer, organization):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    first = SessionFactory(cohort=cohort, title="Sesi pagi")
    # Written past the services, as a concurrent or legacy write could leave it.
    SessionFactory(cohort=cohort, title="Sesi bentrok", starts_at=first.starts_at)
    client.force_login(organizer)

    page = client.get(reverse("cohorts:manage_detail", kwargs={"slug": cohort.slug}))

    assert len(page.context["clashes"]) == 1
    assert "Sesi bentrok" in page.content.decode()


def test_manage_list_filters(client, organizer, organization):
    province = RegencyFactory().parent
    in_region = CohortFactory(
        organizers=[organization], region=RegencyFactory(parent=province), title="Di provinsi"
    )
    CohortFactory(organizers=[organization], title="Di tempat lain")
    CohortFactory(organizers=[organization], title="Draf", status=Cohort.Status.DRAFT)
    client.force_login(organizer)
    url = reverse("cohorts:manage")

    by_region = client.get(url, {"region": province.pk}).context["cohorts"]
    by_status = client.get(url, {"status": "draft"}).context["cohorts"]
    by_dates = client.get(url, {"runs_from": "2027-01-01"}).context["cohorts"]

    assert [cohort.title for cohort in by_region] == [in_region.title]
    assert [cohort.title for cohort in by_status] == ["Draf"]
    assert list(by_dates) == []


@pytest.mark.parametrize("count", [5, 500])
def test_manage_list_query_count_is_constant(
    client, organizer, organization, count, django_assert_max_num_queries
):
    bulk_cohorts(count, organizers=[organization, OrganizationFactory()])
    client.force_login(organizer)

    # session + user (2), reach (1), filter's organizations (1), count (1), cohorts with
    # region and curriculum (1) + organizers (1), navbar member record (1)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("cohorts:manage"))

    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("count", [5, 500])
def test_public_list_query_count_is_constant(client, count, django_assert_max_num_queries):
    bulk_cohorts(count, organizers=[OrganizationFactory(), OrganizationFactory()])

    # provinces for the filter (1), count (1), a page of cohorts with region, province and
    # curriculum (1) + their organizers (1)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("cohorts:home"))

    assert response.context["page"].paginator.count == count
    assert len(response.context["cohorts"]) == min(count, 20)


@pytest.mark.parametrize(("cohorts", "sessions"), [(5, 2), (500, 20)])
def test_detail_pages_query_count_is_constant(
    client, organizer, organization, cohorts, sessions, django_assert_max_num_queries
):
    bulk_cohorts(cohorts, organizers=[organization])
    cohort = CohortFactory(organizers=[organization, OrganizationFactory()])
    trainers = MemberFactory.create_batch(2)
    cohort.lead_trainers.set(trainers)
    for number in range(sessions):
        SessionFactory(
            cohort=cohort,
            starts_at=dt.datetime.combine(cohort.starts_on, dt.time(8), tzinfo=WITA)
            + dt.timedelta(minutes=30 * number),
            ends_at=dt.datetime.combine(cohort.starts_on, dt.time(8, 29), tzinfo=WITA)
            + dt.timedelta(minutes=30 * number),
            trainers=trainers,
        )

    # cohort (1) + organizers (1) + lead trainers (1), sessions (1) + modules (1) +
    # trainers (1), seats taken (1)
    with django_assert_max_num_queries(7):
        client.get(reverse("cohorts:detail", kwargs={"slug": cohort.slug}))

    client.force_login(organizer)
    # session + user (2), reach (1), cohort + organizers + lead trainers (3), sessions +
    # modules + trainers (3), clashes: neighbours + trainers + members (3), history (1),
    # registration counts (1), navbar member record (1)
    with django_assert_max_num_queries(15):
        client.get(reverse("cohorts:manage_detail", kwargs={"slug": cohort.slug}))


def test_session_form_offers_trainers_of_every_organizing_organization(
    client, organizer, organization
):
    partner = OrganizationFactory(short_name="KSBSI")
    partner_trainer = MemberFactory(
        full_name="Dewi Lestari", organization=partner, user=UserFactory()
    )
    OrganizationRoleFactory(user=partner_trainer.user, organization=partner, role="trainer")
    outsider = MemberFactory(organization=OrganizationFactory(), user=UserFactory())
    OrganizationRoleFactory(user=outsider.user, organization=outsider.organization, role="trainer")
    plain_member = MemberFactory(full_name="Anggota Biasa", organization=organization)
    cohort = CohortFactory(organizers=[organization, partner], status=Cohort.Status.DRAFT)
    client.force_login(organizer)

    form = client.get(reverse("cohorts:session_create", kwargs={"slug": cohort.slug})).context[
        "form"
    ]

    candidates = set(form.fields["trainers"].queryset)
    assert partner_trainer in candidates
    assert outsider not in candidates
    assert plain_member not in candidates
