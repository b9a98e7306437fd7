"""cohort_create, cohort_update, the status machine (cohort_transition) and cohort_duplicate."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cohorts import zones
from cohorts.models import Cohort, CohortStatusChange, Session
from cohorts.services.cohorts import (
    ALLOWED_TRANSITIONS,
    cohort_create,
    cohort_duplicate,
    cohort_transition,
    cohort_update,
)
from curriculum.models import Curriculum
from members.models import Region
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.curriculum.factories import full_curriculum
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    ProvinceFactory,
    RegencyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Cohort.Status
WIB, WITA, WIT = Cohort.TimeZone.WIB, Cohort.TimeZone.WITA, Cohort.TimeZone.WIT
FIRST_DAY = dt.date(2026, 12, 14)


def regency(province_code: str) -> Region:
    """A regency under a province, coded the Kemendagri way (73 › 73.71)."""
    code = f"{province_code}.71"
    return Region.objects.filter(code=code).first() or RegencyFactory(
        parent=ProvinceFactory(code=province_code), code=code
    )


def at(cohort: Cohort, hour: int, minute: int = 0, *, day: int = 0) -> dt.datetime:
    return zones.aware(cohort.starts_on + dt.timedelta(days=day), dt.time(hour, minute), cohort)


def local_times(cohort: Cohort) -> list[tuple[int, str, str]]:
    """(day of the cohort, start, end) of each active session, in the cohort's zone."""
    return [
        (
            (zones.local(session.starts_at, cohort).date() - cohort.starts_on).days,
            zones.local(session.starts_at, cohort).strftime("%H:%M"),
            zones.local(session.ends_at, cohort).strftime("%H:%M"),
        )
        for session in cohort.sessions.exclude(status=Session.Status.CANCELLED)
    ]


@pytest.fixture
def curriculum(organization):
    return full_curriculum(owner=organization, modules=2)


@pytest.fixture
def create(organizer, organization, curriculum):
    """cohort_create with everything filled in; keywords override."""

    def create(**overrides) -> Cohort:
        arguments = {
            "by": organizer,
            "title": "TOT Dialog Sosial Lubuklinggau",
            "curriculum": curriculum,
            "organizers": [organization],
            "region": regency("16"),
            "starts_on": FIRST_DAY,
            "ends_on": FIRST_DAY + dt.timedelta(days=2),
            "capacity": 30,
            **overrides,
        }
        return cohort_create(**arguments)

    return create


# -- cohort_create -------------------------------------------------------------------------------


def test_cohort_create_makes_a_draft_and_records_who_made_it(create, organizer, organization):
    lead = MemberFactory()

    cohort = create(lead_trainers=[lead], venue_name="Hotel Ratu", requires_approval=True)

    cohort.refresh_from_db()
    assert cohort.status == Status.DRAFT
    assert cohort.created_by == organizer
    assert cohort.venue_name == "Hotel Ratu"
    assert cohort.requires_approval
    assert list(cohort.organizers.all()) == [organization]
    assert list(cohort.lead_trainers.all()) == [lead]
    change = cohort.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "",
        Status.DRAFT,
        organizer,
    )


@pytest.mark.parametrize("status", [Curriculum.Status.DRAFT, Curriculum.Status.ARCHIVED])
def test_cohort_create_takes_only_a_published_curriculum(create, organization, status):
    unpublished = full_curriculum(owner=organization, publish=False)
    if status == Curriculum.Status.ARCHIVED:
        Curriculum.objects.filter(pk=unpublished.pk).update(status=Curriculum.Status.PUBLISHED)
        Curriculum.objects.filter(pk=unpublished.pk).update(status=status)
        unpublished.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        create(curriculum=unpublished)

    assert "curriculum" in refused.value.error_dict
    assert not Cohort.objects.exists()


def test_cohort_create_needs_an_organizer_the_user_organizes_for(create):
    with pytest.raises(ValidationError) as refused:
        create(organizers=[OrganizationFactory()])
    assert "organizers" in refused.value.error_dict

    with pytest.raises(ValidationError) as refused:
        create(organizers=[])
    assert "organizers" in refused.value.error_dict

    assert not Cohort.objects.exists()


def test_a_trainer_role_is_not_enough_to_organize(create, trainer, organization):
    with pytest.raises(ValidationError) as refused:
        create(by=trainer, organizers=[organization])

    assert "organizers" in refused.value.error_dict


def test_co_organizers_outside_the_users_reach_are_welcome(create, organization):
    ksbsi = OrganizationFactory(short_name="KSBSI")

    cohort = create(organizers=[organization, ksbsi])

    assert set(cohort.organizers.all()) == {organization, ksbsi}


@pytest.mark.parametrize(
    ("province", "time_zone"),
    [("73", WITA), ("91", WIT), ("16", WIB), ("51", WITA), ("94", WIT), ("31", WIB)],
)
def test_the_time_zone_defaults_from_the_regions_province(create, province, time_zone):
    cohort = create(region=regency(province))

    assert cohort.time_zone == time_zone


def test_a_chosen_time_zone_wins_over_the_region(create):
    cohort = create(region=regency("16"), time_zone=WITA)

    assert cohort.time_zone == WITA


def test_each_cohort_gets_its_own_slug(create):
    first = create(title="TOT Dialog Sosial")
    second = create(title="TOT Dialog Sosial")

    assert first.slug == "tot-dialog-sosial"
    assert second.slug == "tot-dialog-sosial-2"


@pytest.mark.parametrize("title", ["New", "Manage", "Calendar", "Reach"])
def test_a_slug_never_shadows_an_organizer_page(create, title):
    assert create(title=title).slug == f"{title.lower()}-2"


@pytest.mark.parametrize(
    "bad",
    [
        {"ends_on": FIRST_DAY - dt.timedelta(days=1)},
        {"capacity": 0},
        {
            "registration_opens_at": dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC),
            "registration_closes_at": dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC),
        },
        {"registration_closes_at": dt.datetime(2026, 12, 20, 9, tzinfo=dt.UTC)},
    ],
    ids=["ends-before-it-starts", "no-seats", "closes-before-it-opens", "closes-after-the-end"],
)
def test_cohort_create_refuses_impossible_dates_and_numbers_and_saves_nothing(create, bad):
    with pytest.raises(ValidationError):
        create(**bad)

    assert not Cohort.objects.exists()
    assert not CohortStatusChange.objects.exists()


# -- cohort_update -------------------------------------------------------------------------------


@pytest.fixture
def cohort(organization, curriculum):
    """A draft from 14 to 16 December 2026 (WIB) with a session each day."""
    cohort = CohortFactory(
        title="TOT Lubuklinggau",
        organizers=[organization],
        curriculum=curriculum,
        starts_on=FIRST_DAY,
        ends_on=FIRST_DAY + dt.timedelta(days=2),
        status=Status.DRAFT,
        venue_name="Hotel Ratu",
    )
    modules = list(curriculum.modules.all())
    for day, title in enumerate(["Pembukaan", "Negosiasi", "Penutupan"]):
        SessionFactory(
            cohort=cohort,
            title=title,
            starts_at=at(cohort, 8, 30, day=day),
            ends_at=at(cohort, 10, day=day),
            modules=modules,
        )
    return cohort


def test_dates_that_would_leave_a_session_outside_are_refused_naming_it(cohort, organizer):
    with pytest.raises(ValidationError) as refused:
        cohort_update(
            cohort=cohort,
            by=organizer,
            title="Judul baru",
            starts_on=FIRST_DAY + dt.timedelta(days=1),
        )

    assert len(refused.value.messages) == 1
    assert "Pembukaan" in refused.value.messages[0]
    assert "08:30–10:00 WIB" in refused.value.messages[0]
    cohort.refresh_from_db()
    assert (cohort.title, cohort.starts_on) == ("TOT Lubuklinggau", FIRST_DAY)


def test_dates_that_still_hold_every_session_are_saved(cohort, organizer):
    cohort.sessions.filter(title="Penutupan").update(status=Session.Status.CANCELLED)

    cohort_update(cohort=cohort, by=organizer, ends_on=FIRST_DAY + dt.timedelta(days=1))

    cohort.refresh_from_db()
    assert cohort.ends_on == FIRST_DAY + dt.timedelta(days=1)


def test_changing_the_time_zone_keeps_wall_clock_times_and_bumps_sequence(cohort, organizer):
    before = {session.uid: session.sequence for session in cohort.sessions.all()}

    updated = cohort_update(cohort=cohort, by=organizer, time_zone=WITA)

    assert updated.time_zone == WITA
    assert local_times(updated) == [
        (0, "08:30", "10:00"),
        (1, "08:30", "10:00"),
        (2, "08:30", "10:00"),
    ]
    first = updated.sessions.first()
    # 08:30 WITA is 00:30 UTC; it was 01:30 UTC while the cohort kept WIB.
    assert first.starts_at == dt.datetime(2026, 12, 14, 0, 30, tzinfo=dt.UTC)
    assert {session.uid: session.sequence for session in updated.sessions.all()} == {
        uid: sequence + 1 for uid, sequence in before.items()
    }


def test_a_refused_time_zone_change_leaves_the_sessions_where_they_were(cohort, organizer):
    before = {
        session.pk: (session.starts_at, session.sequence) for session in cohort.sessions.all()
    }

    with pytest.raises(ValidationError, match="Pembukaan"):
        cohort_update(
            cohort=cohort, by=organizer, time_zone=WIT, starts_on=FIRST_DAY + dt.timedelta(days=1)
        )

    cohort.refresh_from_db()
    assert cohort.time_zone == WIB
    assert {s.pk: (s.starts_at, s.sequence) for s in cohort.sessions.all()} == before


def test_a_time_zone_change_that_double_books_a_trainer_is_refused(cohort, organizer):
    trainer = MemberFactory(full_name="Siti Rahayu")
    session = cohort.sessions.get(title="Pembukaan")
    session.trainers.set([trainer])
    makassar = CohortFactory(title="TOT Makassar", time_zone=WITA, starts_on=FIRST_DAY)
    # 08:30–09:30 WITA (00:30–01:30 UTC) ends as 08:30 WIB (01:30 UTC) starts; 08:30 WITA
    # would start with it.
    SessionFactory(
        cohort=makassar,
        starts_at=at(makassar, 8, 30),
        ends_at=at(makassar, 9, 30),
        trainers=[trainer],
    )

    with pytest.raises(ValidationError, match="TOT Makassar"):
        cohort_update(cohort=cohort, by=organizer, time_zone=WITA)

    cohort.refresh_from_db()
    session.refresh_from_db()
    assert cohort.time_zone == WIB
    assert (session.starts_at, session.sequence) == (at(cohort, 8, 30), 0)


def test_a_venue_change_that_double_books_a_room_is_refused(cohort, organizer):
    cohort.sessions.filter(title="Pembukaan").update(room="Aula")
    elsewhere = CohortFactory(
        title="TOT Pekerja Rumahan", starts_on=FIRST_DAY, venue_name="Wisma Buruh"
    )
    SessionFactory(
        cohort=elsewhere, starts_at=at(elsewhere, 9), ends_at=at(elsewhere, 11), room="Aula"
    )

    with pytest.raises(ValidationError, match="TOT Pekerja Rumahan"):
        cohort_update(cohort=cohort, by=organizer, venue_name="Wisma Buruh")

    cohort.refresh_from_db()
    assert cohort.venue_name == "Hotel Ratu"


def test_a_draft_can_move_to_another_published_curriculum(cohort, organizer, organization):
    other = full_curriculum(owner=organization)

    cohort_update(cohort=cohort, by=organizer, curriculum=other)

    cohort.refresh_from_db()
    assert cohort.curriculum == other
    # The old curriculum's modules no longer belong to its sessions.
    assert not Session.modules.through.objects.filter(session__cohort=cohort).exists()


def test_passing_the_same_curriculum_again_keeps_the_sessions_modules(cohort, organizer):
    """The edit form of a draft always sends the curriculum back."""
    cohort_update(cohort=cohort, by=organizer, curriculum=cohort.curriculum, title="Judul baru")

    for session in cohort.sessions.all():
        assert session.modules.count() == 2


def test_a_draft_curriculum_is_refused_on_update(cohort, organizer, organization):
    with pytest.raises(ValidationError) as refused:
        cohort_update(
            cohort=cohort,
            by=organizer,
            curriculum=full_curriculum(owner=organization, publish=False),
        )

    assert "curriculum" in refused.value.error_dict


@pytest.mark.parametrize("status", [Status.OPEN, Status.RUNNING])
def test_the_curriculum_changes_only_while_a_draft(cohort, organizer, organization, status):
    Cohort.objects.filter(pk=cohort.pk).update(status=status)
    curriculum = cohort.curriculum

    with pytest.raises(ValidationError) as refused:
        cohort_update(cohort=cohort, by=organizer, curriculum=full_curriculum(owner=organization))

    assert "curriculum" in refused.value.error_dict
    cohort.refresh_from_db()
    assert cohort.curriculum == curriculum


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.CANCELLED])
def test_completed_and_cancelled_cohorts_cannot_be_edited(cohort, organizer, status):
    Cohort.objects.filter(pk=cohort.pk).update(status=status)
    cohort.refresh_from_db()

    with pytest.raises(ValidationError):
        cohort_update(cohort=cohort, by=organizer, title="Judul baru")

    cohort.refresh_from_db()
    assert cohort.title == "TOT Lubuklinggau"


def test_an_update_keeps_at_least_one_organizer_of_the_user(cohort, organizer, organization):
    with pytest.raises(ValidationError) as refused:
        cohort_update(cohort=cohort, by=organizer, organizers=[OrganizationFactory()])

    assert "organizers" in refused.value.error_dict
    assert list(cohort.organizers.all()) == [organization]


def test_cohort_update_saves_fields_and_relations(cohort, organizer, organization):
    lead, ksbsi = MemberFactory(), OrganizationFactory()

    cohort_update(
        cohort=cohort,
        by=organizer,
        title="TOT Dialog Sosial",
        capacity=40,
        lead_trainers=[lead],
        organizers=[organization, ksbsi],
    )

    cohort.refresh_from_db()
    assert (cohort.title, cohort.capacity) == ("TOT Dialog Sosial", 40)
    assert list(cohort.lead_trainers.all()) == [lead]
    assert set(cohort.organizers.all()) == {organization, ksbsi}


def test_cohort_update_refuses_fields_it_does_not_own(cohort, organizer):
    with pytest.raises(TypeError):
        cohort_update(cohort=cohort, by=organizer, status=Status.OPEN)


# -- cohort_transition ---------------------------------------------------------------------------


def test_the_status_machine_is_the_one_the_issue_describes():
    machine = {
        Status.DRAFT: {Status.OPEN, Status.CANCELLED},
        Status.OPEN: {Status.DRAFT, Status.RUNNING, Status.CANCELLED},
        Status.RUNNING: {Status.COMPLETED, Status.CANCELLED},
        Status.COMPLETED: set(),
        Status.CANCELLED: set(),
    }
    assert machine == ALLOWED_TRANSITIONS


@pytest.fixture
def past_cohort(organization, curriculum):
    """A cohort that has ended (so it may complete) with one session inside its dates."""
    cohort = CohortFactory(
        organizers=[organization],
        curriculum=curriculum,
        starts_on=dt.date(2025, 3, 3),
        ends_on=dt.date(2025, 3, 5),
    )
    SessionFactory(cohort=cohort)
    return cohort


ALL_PAIRS = list(itertools.product(Status.values, repeat=2))


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [pair for pair in ALL_PAIRS if pair[1] in ALLOWED_TRANSITIONS[pair[0]]],
)
def test_an_allowed_transition_passes_and_is_recorded(
    past_cohort, organizer, from_status, to_status
):
    Cohort.objects.filter(pk=past_cohort.pk).update(status=from_status)
    before = timezone.now()

    cohort_transition(cohort=past_cohort, to_status=to_status, by=organizer, note="Sesuai rapat")

    past_cohort.refresh_from_db()
    assert past_cohort.status == to_status
    change = past_cohort.status_changes.get()
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert (change.changed_by, change.note) == (organizer, "Sesuai rapat")
    assert before <= change.changed_at <= timezone.now()


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [pair for pair in ALL_PAIRS if pair[1] not in ALLOWED_TRANSITIONS[pair[0]]],
)
def test_any_other_transition_is_refused_and_changes_nothing(
    past_cohort, organizer, from_status, to_status
):
    Cohort.objects.filter(pk=past_cohort.pk).update(status=from_status)
    past_cohort.refresh_from_db()
    session = past_cohort.sessions.get()

    with pytest.raises(ValidationError) as refused:
        cohort_transition(cohort=past_cohort, to_status=to_status, by=organizer)

    [message] = refused.value.messages
    assert f"“{Status(from_status).label}”" in message
    assert f"“{Status(to_status).label}”" in message
    past_cohort.refresh_from_db()
    assert past_cohort.status == from_status
    assert not past_cohort.status_changes.exists()
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 0)


@pytest.fixture
def draft(past_cohort):
    Cohort.objects.filter(pk=past_cohort.pk).update(status=Status.DRAFT)
    past_cohort.refresh_from_db()
    return past_cohort


def _refused(cohort: Cohort, to_status: str, by) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        cohort_transition(cohort=cohort, to_status=to_status, by=by)
    cohort.refresh_from_db()
    assert not cohort.status_changes.exists()
    return refused.value.messages


def test_publishing_needs_a_published_curriculum(draft, organizer):
    Curriculum.objects.filter(pk=draft.curriculum_id).update(status=Curriculum.Status.ARCHIVED)

    assert len(_refused(draft, Status.OPEN, organizer)) == 1
    assert draft.status == Status.DRAFT


def test_publishing_needs_an_active_session(draft, organizer):
    draft.sessions.update(status=Session.Status.CANCELLED)

    assert len(_refused(draft, Status.OPEN, organizer)) == 1
    assert draft.status == Status.DRAFT


def test_publishing_is_refused_while_the_cohort_has_clashes(draft, organizer):
    session = draft.sessions.get()
    SessionFactory(
        cohort=draft, title="Tumpang tindih", starts_at=session.starts_at, ends_at=session.ends_at
    )

    messages = _refused(draft, Status.OPEN, organizer)

    assert len(messages) == 1
    assert "Tumpang tindih" in messages[0]
    assert draft.status == Status.DRAFT


def test_publishing_lists_every_problem_at_once(draft, organizer):
    Curriculum.objects.filter(pk=draft.curriculum_id).update(status=Curriculum.Status.ARCHIVED)
    draft.sessions.update(status=Session.Status.CANCELLED)

    assert len(_refused(draft, Status.OPEN, organizer)) == 2


@pytest.fixture
def frozen_now(monkeypatch):
    """Set the clock Django reads (there is no freezegun here)."""

    def freeze(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


@pytest.mark.parametrize(
    ("time_zone", "completes"),
    [(WIT, True), (WITA, False), (WIB, False)],
)
def test_a_cohort_completes_from_its_last_day_in_its_own_zone(
    organizer, frozen_now, time_zone, completes
):
    # 16 Dec 2026 15:30 UTC is 17 Dec 00:30 WIT, but still 16 Dec 23:30 WITA, 22:30 WIB.
    frozen_now(dt.datetime(2026, 12, 16, 15, 30, tzinfo=dt.UTC))
    cohort = CohortFactory(
        status=Status.RUNNING,
        time_zone=time_zone,
        starts_on=dt.date(2026, 12, 15),
        ends_on=dt.date(2026, 12, 17),
    )

    if completes:
        cohort_transition(cohort=cohort, to_status=Status.COMPLETED, by=organizer)
    else:
        _refused(cohort, Status.COMPLETED, organizer)

    cohort.refresh_from_db()
    assert cohort.status == (Status.COMPLETED if completes else Status.RUNNING)


def test_cancelling_cancels_sessions_not_yet_held(past_cohort, organizer):
    Cohort.objects.filter(pk=past_cohort.pk).update(status=Status.RUNNING)
    scheduled = past_cohort.sessions.get()
    held = SessionFactory(
        cohort=past_cohort,
        starts_at=at(past_cohort, 13),
        ends_at=at(past_cohort, 14),
        status=Session.Status.HELD,
    )
    cancelled = SessionFactory(
        cohort=past_cohort,
        starts_at=at(past_cohort, 15),
        ends_at=at(past_cohort, 16),
        status=Session.Status.CANCELLED,
        sequence=3,
    )

    cohort_transition(cohort=past_cohort, to_status=Status.CANCELLED, by=organizer)

    statuses = {
        session.pk: (session.status, session.sequence) for session in past_cohort.sessions.all()
    }
    assert statuses == {
        scheduled.pk: (Session.Status.CANCELLED, 1),
        held.pk: (Session.Status.HELD, 0),
        cancelled.pk: (Session.Status.CANCELLED, 3),
    }


# -- cohort_duplicate ----------------------------------------------------------------------------


@pytest.fixture
def source(organization, curriculum):
    """An open WITA cohort in Makassar: two sessions with modules and a trainer, one
    cancelled session, a lead trainer and a registration window."""
    cohort = CohortFactory(
        title="TOT Makassar",
        organizers=[organization],
        curriculum=curriculum,
        region=regency("73"),
        time_zone=WITA,
        venue_name="Hotel Pantai",
        starts_on=FIRST_DAY,
        ends_on=FIRST_DAY + dt.timedelta(days=1),
        capacity=25,
        requires_approval=True,
        min_attendance_percent=90,
    )
    cohort.registration_opens_at = at(cohort, 8, day=-14)
    cohort.registration_closes_at = at(cohort, 17, day=-2)
    cohort.save(update_fields=["registration_opens_at", "registration_closes_at"])
    cohort.lead_trainers.set([MemberFactory()])
    first, second = curriculum.modules.all()
    trainer = MemberFactory()
    SessionFactory(
        cohort=cohort,
        title="Modul 1",
        starts_at=at(cohort, 8, 30),
        ends_at=at(cohort, 10),
        room="Aula",
        modules=[first],
        trainers=[trainer],
    )
    SessionFactory(
        cohort=cohort,
        title="Modul 2",
        starts_at=at(cohort, 13, day=1),
        ends_at=at(cohort, 15, 30, day=1),
        modules=[second],
        trainers=[trainer],
        status=Session.Status.HELD,
    )
    SessionFactory(
        cohort=cohort,
        title="Batal",
        starts_at=at(cohort, 16, day=1),
        ends_at=at(cohort, 17, day=1),
        status=Session.Status.CANCELLED,
    )
    return cohort


NEW_START = FIRST_DAY + dt.timedelta(days=45)


def test_a_duplicate_is_a_draft_with_the_same_shape_on_new_dates(source, organizer):
    copy = cohort_duplicate(
        source=source, by=organizer, title="TOT Makassar II", starts_on=NEW_START
    )

    copy.refresh_from_db()
    assert copy.status == Status.DRAFT
    assert copy.slug != source.slug
    assert (copy.curriculum, copy.time_zone, copy.venue_name) == (
        source.curriculum,
        WITA,
        "Hotel Pantai",
    )
    assert (copy.starts_on, copy.ends_on) == (NEW_START, NEW_START + dt.timedelta(days=1))
    assert (copy.capacity, copy.requires_approval, copy.min_attendance_percent) == (25, True, 90)
    assert list(copy.organizers.all()) == list(source.organizers.all())
    assert local_times(copy) == [(0, "08:30", "10:00"), (1, "13:00", "15:30")]
    assert zones.local(copy.registration_closes_at, copy) == at(copy, 17, day=-2)
    sessions = list(copy.sessions.all())
    assert [session.status for session in sessions] == [Session.Status.SCHEDULED] * 2
    assert [list(session.modules.all()) for session in sessions] == [
        list(session.modules.all()) for session in source.sessions.exclude(title="Batal")
    ]
    assert sessions[0].room == "Aula"
    assert not Session.trainers.through.objects.filter(session__cohort=copy).exists()
    assert not copy.lead_trainers.exists()
    assert copy.status_changes.get().to_status == Status.DRAFT
    assert source.sessions.count() == 3


def test_a_duplicate_keeps_the_trainers_when_asked(source, organizer):
    copy = cohort_duplicate(
        source=source,
        by=organizer,
        title="TOT Makassar II",
        starts_on=NEW_START,
        keep_trainers=True,
    )

    assert list(copy.lead_trainers.all()) == list(source.lead_trainers.all())
    assert [list(s.trainers.all()) for s in copy.sessions.all()] == [
        list(s.trainers.all()) for s in source.sessions.exclude(title="Batal")
    ]


def test_a_duplicate_in_another_zone_keeps_the_local_times(source, organizer):
    copy = cohort_duplicate(
        source=source,
        by=organizer,
        title="TOT Lubuklinggau",
        starts_on=NEW_START,
        region=regency("16"),
    )

    assert copy.time_zone == WIB
    assert local_times(copy) == [(0, "08:30", "10:00"), (1, "13:00", "15:30")]


def test_a_duplicate_whose_trainers_would_clash_saves_nothing(source, organizer):
    cohorts_before = Cohort.objects.count()

    # On the same dates, the kept trainer would be in two places at once.
    with pytest.raises(ValidationError):
        cohort_duplicate(
            source=source,
            by=organizer,
            title="TOT Makassar II",
            starts_on=FIRST_DAY,
            keep_trainers=True,
        )

    assert Cohort.objects.count() == cohorts_before
    assert Session.objects.filter(cohort__title="TOT Makassar II").count() == 0


def test_an_organizer_of_another_organization_cannot_duplicate(source):
    stranger = UserFactory()
    OrganizationRoleFactory(user=stranger, organization=OrganizationFactory())

    with pytest.raises(PermissionDenied):
        cohort_duplicate(source=source, by=stranger, title="Salinan", starts_on=NEW_START)

    assert not Cohort.objects.filter(title="Salinan").exists()
