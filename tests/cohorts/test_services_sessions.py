"""session_create, session_update, session_cancel and sessions_create_many: what they save,
when a calendar app must be told (SEQUENCE), and that refused input saves nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cohorts import zones
from cohorts.models import Cohort, Session
from cohorts.services.sessions import (
    session_cancel,
    session_create,
    session_update,
    sessions_create_many,
)
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.curriculum.factories import full_curriculum
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2026, 12, 14)


def at(cohort: Cohort, hour: int, minute: int = 0, *, day: int = 0) -> dt.datetime:
    return zones.aware(cohort.starts_on + dt.timedelta(days=day), dt.time(hour, minute), cohort)


@pytest.fixture
def cohort():
    return CohortFactory(
        curriculum=full_curriculum(modules=2),
        starts_on=FIRST_DAY,
        time_zone=Cohort.TimeZone.WITA,
        venue_name="Hotel Pantai",
        status=Cohort.Status.DRAFT,
    )


@pytest.fixture
def session(cohort):
    """Modul 1, 09:00–10:30 WITA in Aula with one trainer."""
    return SessionFactory(
        cohort=cohort,
        title="Modul 1",
        starts_at=at(cohort, 9),
        ends_at=at(cohort, 10, 30),
        room="Aula",
        trainers=[MemberFactory()],
        modules=[cohort.curriculum.modules.first()],
    )


def as_saved(session: Session) -> dict:
    """Everything a service could change, read back from the database."""
    session = Session.objects.get(pk=session.pk)
    return {
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "room": session.room,
        "status": session.status,
        "sequence": session.sequence,
        "uid": session.uid,
        "modules": set(session.modules.all()),
        "trainers": set(session.trainers.all()),
    }


def update(session: Session, **changes) -> Session:
    """session_update with the session's current values, apart from ``changes``."""
    current = as_saved(session)
    arguments = {
        name: current[name] for name in ("title", "starts_at", "ends_at", "room", "modules")
    }
    arguments["trainers"] = current["trainers"]
    return session_update(session=session, **{**arguments, **changes})


# -- session_create ------------------------------------------------------------------------------


def test_session_create_saves_the_session(cohort):
    modules = list(cohort.curriculum.modules.all())
    trainer = MemberFactory()

    session = session_create(
        cohort=cohort,
        title="Pembukaan",
        starts_at=at(cohort, 8, 30),
        ends_at=at(cohort, 10),
        room="Aula",
        modules=modules,
        trainers=[trainer],
    )

    saved = as_saved(session)
    assert saved["starts_at"] == dt.datetime(2026, 12, 14, 0, 30, tzinfo=dt.UTC)
    assert (saved["status"], saved["sequence"]) == (Session.Status.SCHEDULED, 0)
    assert (saved["modules"], saved["trainers"]) == (set(modules), {trainer})


@pytest.mark.parametrize("minutes", [0, -30])
def test_a_session_must_end_after_it_starts(cohort, minutes):
    with pytest.raises(ValidationError) as refused:
        session_create(
            cohort=cohort,
            title="Terbalik",
            starts_at=at(cohort, 9),
            ends_at=at(cohort, 9) + dt.timedelta(minutes=minutes),
        )

    assert "ends_at" in refused.value.error_dict
    assert not Session.objects.exists()


def test_modules_must_come_from_the_cohorts_curriculum(cohort):
    foreign = full_curriculum(modules=1).modules.get()

    with pytest.raises(ValidationError) as refused:
        session_create(
            cohort=cohort,
            title="Modul asing",
            starts_at=at(cohort, 9),
            ends_at=at(cohort, 10),
            modules=[foreign],
        )

    assert "modules" in refused.value.error_dict
    assert not Session.objects.exists()


@pytest.mark.parametrize("status", [Cohort.Status.COMPLETED, Cohort.Status.CANCELLED])
def test_a_finished_cohorts_sessions_cannot_be_added_changed_or_cancelled(cohort, session, status):
    Cohort.objects.filter(pk=cohort.pk).update(status=status)
    session = Session.objects.select_related("cohort").get(pk=session.pk)
    saved = as_saved(session)

    with pytest.raises(ValidationError):
        session_create(
            cohort=session.cohort, title="Baru", starts_at=at(cohort, 13), ends_at=at(cohort, 14)
        )
    with pytest.raises(ValidationError):
        update(session, title="Judul baru")
    with pytest.raises(ValidationError):
        session_cancel(session=session)

    assert cohort.sessions.count() == 1
    assert as_saved(session) == saved


# -- session_update and SEQUENCE -----------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda cohort: {"title": "Modul 1: dialog sosial"}, id="title"),
        pytest.param(lambda cohort: {"starts_at": at(cohort, 8, 30)}, id="start"),
        pytest.param(lambda cohort: {"ends_at": at(cohort, 11)}, id="end"),
        pytest.param(lambda cohort: {"room": "Ruang Melati"}, id="room"),
    ],
)
def test_changing_what_a_calendar_shows_bumps_the_sequence(cohort, session, change):
    before = as_saved(session)

    update(session, **change(cohort))

    after = as_saved(session)
    assert after["sequence"] == before["sequence"] + 1
    assert after["uid"] == before["uid"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda cohort: {}, id="nothing"),
        pytest.param(lambda cohort: {"trainers": [MemberFactory()]}, id="trainers"),
        pytest.param(
            lambda cohort: {"modules": list(cohort.curriculum.modules.all())}, id="modules"
        ),
        pytest.param(
            # The same instant written in UTC is no change.
            lambda cohort: {"starts_at": at(cohort, 9).astimezone(dt.UTC)},
            id="same-start-in-utc",
        ),
    ],
)
def test_other_changes_keep_the_sequence(cohort, session, change):
    arguments = change(cohort)
    before = as_saved(session)

    update(session, **arguments)

    after = as_saved(session)
    assert after["sequence"] == before["sequence"]
    if "trainers" in arguments:
        assert after["trainers"] == set(arguments["trainers"])
    if "modules" in arguments:
        assert after["modules"] == set(arguments["modules"])


def test_a_refused_update_changes_nothing(cohort, session):
    SessionFactory(cohort=cohort, title="Modul 2", starts_at=at(cohort, 11), ends_at=at(cohort, 12))
    before = as_saved(session)

    with pytest.raises(ValidationError, match="Modul 2"):
        update(
            session,
            title="Modul 1 (diperpanjang)",
            ends_at=at(cohort, 11, 30),
            room="Ruang Melati",
            trainers=[MemberFactory()],
            modules=[],
        )
    with pytest.raises(ValidationError):
        update(session, title="Terbalik", ends_at=at(cohort, 8))

    assert as_saved(session) == before


def test_a_cancelled_session_cannot_be_changed(session):
    session_cancel(session=session)
    before = as_saved(session)

    with pytest.raises(ValidationError):
        update(session, title="Dihidupkan lagi")

    assert as_saved(session) == before


# -- session_cancel ------------------------------------------------------------------------------


def test_cancelling_a_session_bumps_its_sequence_once(session):
    before = as_saved(session)

    session_cancel(session=session)
    session_cancel(session=session)

    after = as_saved(session)
    assert after["status"] == Session.Status.CANCELLED
    assert after["sequence"] == before["sequence"] + 1
    assert after["uid"] == before["uid"]


def test_a_held_session_cannot_be_cancelled(session):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    session.refresh_from_db()

    with pytest.raises(ValidationError):
        session_cancel(session=session)

    assert as_saved(session)["status"] == Session.Status.HELD


def test_a_cancelled_session_frees_its_time_room_and_trainers(cohort, session):
    trainers = list(session.trainers.all())
    session_cancel(session=session)

    replacement = session_create(
        cohort=cohort,
        title="Pengganti",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        room="Aula",
        trainers=trainers,
    )

    assert replacement.status == Session.Status.SCHEDULED


# -- sessions_create_many ------------------------------------------------------------------------


def test_sessions_create_many_saves_a_whole_plan(cohort):
    first, second = cohort.curriculum.modules.all()
    trainer = MemberFactory()

    created = sessions_create_many(
        cohort=cohort,
        sessions=[
            {
                "title": "Modul 1",
                "starts_at": at(cohort, 8, 30),
                "ends_at": at(cohort, 10),
                "modules": [first],
                "trainers": [trainer],
                "room": "Aula",
            },
            {
                "title": "Modul 2",
                "starts_at": at(cohort, 10, 15),
                "ends_at": at(cohort, 12),
                "modules": [second],
                "trainers": [trainer],
                "room": "Aula",
            },
        ],
    )

    assert [as_saved(session)["modules"] for session in created] == [{first}, {second}]
    assert all(as_saved(session)["trainers"] == {trainer} for session in created)
    assert len({session.uid for session in created}) == 2


def test_sessions_create_many_with_a_foreign_module_saves_nothing(cohort):
    foreign = full_curriculum(modules=1).modules.get()
    plan = [
        {"title": "Modul 1", "starts_at": at(cohort, 8, 30), "ends_at": at(cohort, 10)},
        {
            "title": "Modul asing",
            "starts_at": at(cohort, 10, 15),
            "ends_at": at(cohort, 12),
            "modules": [foreign],
        },
    ]

    with pytest.raises(ValidationError):
        sessions_create_many(cohort=cohort, sessions=plan)

    assert not cohort.sessions.exists()
