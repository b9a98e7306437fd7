"""Scheduling clashes: people, rooms and dates that a session would double-book.

Every check reads the database a fixed number of times, whatever the number of
sessions: the candidate slots are compared in memory with the one set of active
sessions that could touch them.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import formats
from django.utils.translation import gettext as _

from cohorts import zones
from cohorts.models import Cohort, Session
from members.models import Member


@dataclass(frozen=True)
class Slot:
    """A session as planned: saved (``session_id`` set) or only proposed."""

    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str = ""
    trainer_ids: frozenset[int] = field(default_factory=frozenset)
    session_id: int | None = None

    @classmethod
    def of(cls, session: Session) -> "Slot":
        return cls(
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            room=session.room,
            trainer_ids=frozenset(trainer.pk for trainer in session.trainers.all()),
            session_id=session.pk,
        )

    def overlaps(self, starts_at: dt.datetime, ends_at: dt.datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


@dataclass(frozen=True)
class Clash:
    class Kind:
        TRAINER = "trainer"
        COHORT = "cohort"
        ROOM = "room"
        OUTSIDE_DATES = "outside_dates"

    kind: str
    slot: Slot
    cohort: Cohort
    other: Session | Slot | None = None
    other_cohort: Cohort | None = None
    trainer: Member | None = None

    @property
    def message(self) -> str:
        if self.kind == self.Kind.OUTSIDE_DATES:
            return _("“%(session)s” (%(when)s) falls outside the cohort's dates, %(dates)s.") % {
                "session": self.slot.title,
                "when": describe_time(self.slot.starts_at, self.slot.ends_at, self.cohort),
                "dates": describe_dates(self.cohort),
            }
        other = {
            "session": self.slot.title,
            "other": self.other.title,
            "other_cohort": self.other_cohort.title,
            "when": describe_time(self.other.starts_at, self.other.ends_at, self.other_cohort),
        }
        if self.kind == self.Kind.TRAINER:
            return _(
                "%(trainer)s already trains “%(other)s” (%(other_cohort)s) at %(when)s, "
                "which overlaps “%(session)s”."
            ) % {**other, "trainer": self.trainer.full_name}
        if self.kind == self.Kind.ROOM:
            return _(
                "Room “%(room)s” is already taken by “%(other)s” (%(other_cohort)s) at %(when)s, "
                "which overlaps “%(session)s”."
            ) % {**other, "room": self.slot.room}
        return _("“%(session)s” overlaps “%(other)s” of the same cohort at %(when)s.") % other


def describe_time(starts_at: dt.datetime, ends_at: dt.datetime, cohort: Cohort) -> str:
    start, end = zones.local(starts_at, cohort), zones.local(ends_at, cohort)
    day = formats.date_format(start, "D, j M Y")
    end_text = formats.time_format(end, "H:i")
    if end.date() != start.date():
        end_text = f"{formats.date_format(end, 'j M')} {end_text}"
    return f"{day} {formats.time_format(start, 'H:i')}–{end_text} {zones.abbreviation_of(cohort)}"


def describe_dates(cohort: Cohort) -> str:
    return (
        f"{formats.date_format(cohort.starts_on, 'j M Y')}–"
        f"{formats.date_format(cohort.ends_on, 'j M Y')}"
    )


def _same_room(cohort: Cohort, slot: Slot, other_cohort: Cohort, other_room: str) -> bool:
    # A room is named within a venue: "Ruang A" in two different buildings is two rooms,
    # and without a venue ("Zoom 1" of two online cohorts) a room name says nothing.
    return (
        bool(slot.room.strip())
        and bool(cohort.venue_name.strip())
        and slot.room.strip().casefold() == other_room.strip().casefold()
        and cohort.venue_name.strip().casefold() == other_cohort.venue_name.strip().casefold()
    )


def _outside_dates(cohort: Cohort, slot: Slot) -> bool:
    first_day = zones.local(slot.starts_at, cohort).date()
    # A session ending at midnight belongs to the day before.
    last_day = zones.local(slot.ends_at - dt.timedelta(microseconds=1), cohort).date()
    return first_day < cohort.starts_on or last_day > cohort.ends_on


def _neighbours(cohort: Cohort, slots: Sequence[Slot]) -> list[Session]:
    """Active sessions elsewhere that could clash with any of ``slots`` (one query + prefetch)."""
    starts_at = min(slot.starts_at for slot in slots)
    ends_at = max(slot.ends_at for slot in slots)
    trainer_ids = set().union(*(slot.trainer_ids for slot in slots))
    rooms = {slot.room.strip() for slot in slots if slot.room.strip()}
    could_clash = Q(cohort=cohort) | Q(trainers__in=trainer_ids)
    if rooms and cohort.venue_name.strip():
        room_match = Q()
        for room in rooms:
            room_match |= Q(room__iexact=room)
        could_clash |= room_match & Q(cohort__venue_name__iexact=cohort.venue_name.strip())
    candidates = (
        Session.objects.active()
        .overlapping(starts_at, ends_at)
        .filter(could_clash)
        .exclude(pk__in=[slot.session_id for slot in slots if slot.session_id])
    )
    return list(
        Session.objects.filter(pk__in=candidates.values("pk"))
        .select_related("cohort")
        .prefetch_related(Prefetch("trainers", queryset=Member.objects.only("id", "full_name")))
    )


def _clashes_between(
    cohort: Cohort, slot: Slot, other: Session | Slot, other_cohort: Cohort, trainers: dict
) -> list[Clash]:
    if not slot.overlaps(other.starts_at, other.ends_at):
        return []
    if other_cohort.pk == cohort.pk:
        # Participants cannot be in two places either; one message says it all.
        return [Clash(Clash.Kind.COHORT, slot, cohort, other, other_cohort)]
    found = []
    other_trainer_ids = (
        other.trainer_ids
        if isinstance(other, Slot)
        else {trainer.pk for trainer in other.trainers.all()}
    )
    for trainer_id in sorted(slot.trainer_ids & other_trainer_ids):
        trainer = trainers.get(trainer_id)
        found.append(Clash(Clash.Kind.TRAINER, slot, cohort, other, other_cohort, trainer))
    if _same_room(cohort, slot, other_cohort, other.room):
        found.append(Clash(Clash.Kind.ROOM, slot, cohort, other, other_cohort))
    return found


def clashes_for_slots(*, cohort: Cohort, slots: Iterable[Slot]) -> list[Clash]:
    """Every clash of ``slots`` with the database and with one another.

    Slots whose ``session_id`` is set stand in for that saved session (its stored
    version is ignored), so a session is never reported clashing with itself.
    """
    slots = list(slots)
    if not slots:
        return []
    neighbours = _neighbours(cohort, slots)
    trainer_ids = set().union(*(slot.trainer_ids for slot in slots))
    trainers = {trainer.pk: trainer for trainer in Member.objects.filter(pk__in=trainer_ids)}
    found: list[Clash] = []
    for index, slot in enumerate(slots):
        if _outside_dates(cohort, slot):
            found.append(Clash(Clash.Kind.OUTSIDE_DATES, slot, cohort))
        for other in neighbours:
            found.extend(_clashes_between(cohort, slot, other, other.cohort, trainers))
        # Among the slots themselves, each pair once.
        for other in slots[index + 1 :]:
            found.extend(_clashes_between(cohort, slot, other, cohort, trainers))
    return found


def cohort_clashes(*, cohort: Cohort, sessions: Iterable[Session] | None = None) -> list[Clash]:
    """All clashes of a cohort's active sessions, for the organizer's overview.

    ``sessions``: the cohort's sessions with trainers prefetched, if the caller has them.
    """
    if cohort.status == Cohort.Status.CANCELLED:
        return []
    if sessions is None:
        sessions = cohort.sessions.prefetch_related(
            Prefetch("trainers", queryset=Member.objects.only("id"))
        ).order_by("starts_at", "id")
    active = [session for session in sessions if session.status != Session.Status.CANCELLED]
    return clashes_for_slots(cohort=cohort, slots=[Slot.of(session) for session in active])
