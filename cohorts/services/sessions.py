"""Writing sessions: every create, change and cancellation checks clashes under a lock."""

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Session
from cohorts.selectors.clashes import Slot, clashes_for_slots
from cohorts.services.reminders import reminders_cancel, reminders_for_sessions
from cohorts.services.session_news import CANCELLED, MOVED, session_news_schedule
from curriculum.models import Module
from members.models import Member

# Changing any of these changes what a calendar app shows, so the event's SEQUENCE moves.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "room", "status")


def _lock_schedule(*, cohort: Cohort, trainer_ids: Iterable[int], rooms: Iterable[str]) -> None:
    """Serialize writers that could create the same clash, so two saves cannot both pass.

    The cohort row guards its own sessions, the trainers' rows guard their diaries, and an
    advisory lock per venue room guards the room (rooms have no row of their own).
    """
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    list(Member.objects.select_for_update().filter(pk__in=sorted(trainer_ids)).order_by("pk"))
    if connection.vendor != "postgresql" or not cohort.venue_name.strip():
        return
    for room in sorted({room.strip().casefold() for room in rooms if room.strip()}):
        name = f"room:{cohort.venue_name.strip().casefold()}:{room}"
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key - 2**63])


def _ensure_editable(cohort: Cohort) -> None:
    if not cohort.is_editable:
        raise ValidationError(
            _("This cohort is %(status)s; its sessions can no longer be changed.")
            % {"status": cohort.get_status_display().lower()}
        )


def _checked_modules(cohort: Cohort, modules: Iterable[Module]) -> list[Module]:
    modules = list(modules)
    if any(module.curriculum_id != cohort.curriculum_id for module in modules):
        raise ValidationError({"modules": _("Choose modules of this cohort's curriculum.")})
    return modules


def _ensure_no_clashes(*, cohort: Cohort, slots: Sequence[Slot]) -> None:
    clashes = clashes_for_slots(cohort=cohort, slots=slots)
    if clashes:
        raise ValidationError([clash.message for clash in clashes])


def _validate_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A session must end after it starts.")})


@transaction.atomic
def session_create(
    *,
    cohort: Cohort,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    room: str = "",
    modules: Iterable[Module] = (),
    trainers: Iterable[Member] = (),
) -> Session:
    _ensure_editable(cohort)
    _validate_times(starts_at, ends_at)
    modules = _checked_modules(cohort, modules)
    trainers = list(trainers)
    slot = Slot(title, starts_at, ends_at, room, frozenset(t.pk for t in trainers))
    _lock_schedule(cohort=cohort, trainer_ids=slot.trainer_ids, rooms=[room])
    _ensure_no_clashes(cohort=cohort, slots=[slot])
    session = Session.objects.create(
        cohort=cohort, title=title, starts_at=starts_at, ends_at=ends_at, room=room
    )
    session.modules.set(modules)
    session.trainers.set(trainers)
    reminders_for_sessions(cohort=cohort, sessions=[session])
    return session


@transaction.atomic
def sessions_create_many(*, cohort: Cohort, sessions: Sequence[dict]) -> list[Session]:
    """Save a whole plan at once: all of it, or (on any clash) none of it."""
    _ensure_editable(cohort)
    slots = []
    for planned in sessions:
        _validate_times(planned["starts_at"], planned["ends_at"])
        _checked_modules(cohort, planned.get("modules", ()))
        trainer_ids = frozenset(t.pk for t in planned.get("trainers", ()))
        slots.append(
            Slot(
                planned["title"],
                planned["starts_at"],
                planned["ends_at"],
                planned.get("room", ""),
                trainer_ids,
            )
        )
    _lock_schedule(
        cohort=cohort,
        trainer_ids=set().union(*(slot.trainer_ids for slot in slots)),
        rooms=[slot.room for slot in slots],
    )
    _ensure_no_clashes(cohort=cohort, slots=slots)
    created = []
    for planned in sessions:
        session = Session.objects.create(
            cohort=cohort,
            title=planned["title"],
            starts_at=planned["starts_at"],
            ends_at=planned["ends_at"],
            room=planned.get("room", ""),
        )
        session.modules.set(planned.get("modules", ()))
        session.trainers.set(planned.get("trainers", ()))
        created.append(session)
    reminders_for_sessions(cohort=cohort, sessions=created)
    return created


def _ensure_changeable(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be changed."))
    if session.status == Session.Status.HELD:
        raise ValidationError(_("A session that was held cannot be moved or changed."))


@transaction.atomic
def session_update(
    *,
    session: Session,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    room: str = "",
    modules: Iterable[Module] = (),
    trainers: Iterable[Member] = (),
) -> Session:
    cohort = session.cohort
    _ensure_editable(cohort)
    _validate_times(starts_at, ends_at)
    modules = _checked_modules(cohort, modules)
    trainers = list(trainers)
    slot = Slot(title, starts_at, ends_at, room, frozenset(t.pk for t in trainers), session.pk)
    _lock_schedule(cohort=cohort, trainer_ids=slot.trainer_ids, rooms=[room])
    # Read again under the lock: a concurrent edit must not be compared or numbered twice.
    session = Session.objects.select_for_update().select_related("cohort").get(pk=session.pk)
    _ensure_changeable(session)
    _ensure_no_clashes(cohort=cohort, slots=[slot])
    before = {name: getattr(session, name) for name in CALENDAR_FIELDS}
    session.title, session.starts_at, session.ends_at, session.room = (
        title,
        starts_at,
        ends_at,
        room,
    )
    update_fields = [*CALENDAR_FIELDS, "updated_at"]
    if any(getattr(session, name) != value for name, value in before.items()):
        session.sequence += 1
        update_fields.append("sequence")
    session.save(update_fields=update_fields)
    session.modules.set(modules)
    session.trainers.set(trainers)
    if session.starts_at != before["starts_at"]:
        reminders_for_sessions(cohort=cohort, sessions=[session])
    where_or_when = ("starts_at", "ends_at", "room")
    if any(getattr(session, name) != before[name] for name in where_or_when):
        session_news_schedule(session=session, change=MOVED)
    return session


def _cancel(sessions: QuerySet[Session]) -> int:
    reminders_cancel(sessions=sessions)
    cancelled = 0
    for session in sessions.exclude(status=Session.Status.CANCELLED).select_for_update():
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        cancelled += 1
    return cancelled


@transaction.atomic
def session_cancel(*, session: Session) -> Session:
    _ensure_editable(session.cohort)
    if session.status == Session.Status.HELD:
        raise ValidationError(_("A session that was held cannot be cancelled."))
    _cancel(Session.objects.filter(pk=session.pk))
    session.refresh_from_db()
    session_news_schedule(session=session, change=CANCELLED)
    return session


def sessions_cancel_for_cohort(*, cohort: Cohort) -> int:
    """Cancel every session of a cohort that has not been held (inside the caller's
    transaction)."""
    return _cancel(cohort.sessions.exclude(status=Session.Status.HELD))
