"""Proposing a cohort's sessions from its curriculum. Nothing here writes: the organizer
adjusts the proposal and saves it through ``sessions_create_many``.

The day's hours minus its breaks leave free blocks (08:30–16:30 with breaks at
10:00–10:15, 12:00–13:00 and 15:00–15:15 leaves four). Modules go into the blocks in
curriculum order, one session each:

- a module that does not fit the rest of the current block starts the next block;
- a module longer than that whole block is split: it fills the block and goes on at the
  start of the next one (and the next), each part a session of its own linked to the
  module, titled "Module (1/2)", "Module (2/2)";
- days whose weekday was not chosen are skipped.

The plan may run past the cohort's last day; it is still proposed, and the clash check
reports those sessions as outside the cohort's dates.
"""

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from cohorts import zones
from cohorts.models import Cohort, Session
from cohorts.selectors.clashes import Slot
from cohorts.validators import check_plausible_date
from curriculum.models import Module
from members.models import Member

MONDAY_TO_SATURDAY = frozenset(range(6))
TITLE_MAX_LENGTH = Session._meta.get_field("title").max_length


@dataclass(frozen=True)
class ProposedSession:
    """One session of a proposal; times are wall-clock times in the cohort's zone."""

    title: str
    day: dt.date
    start_time: dt.time
    end_time: dt.time
    starts_at: dt.datetime
    ends_at: dt.datetime
    module: Module
    part: int = 1
    parts: int = 1
    room: str = ""
    trainers: tuple[Member, ...] = field(default_factory=tuple)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def slot(self) -> Slot:
        return Slot(
            title=self.title,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            room=self.room,
            trainer_ids=frozenset(trainer.pk for trainer in self.trainers),
        )


@dataclass(frozen=True)
class _Block:
    """A stretch of a day without a break, in minutes after midnight."""

    day: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class _Piece:
    day: dt.date
    start: int
    end: int


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _range_text(start: dt.time, end: dt.time) -> str:
    return f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"


def _check_breaks(
    day_start: dt.time, day_end: dt.time, breaks: Sequence[tuple[dt.time, dt.time]]
) -> None:
    for start, end in breaks:
        if end <= start:
            raise ValidationError(
                {
                    "breaks": _("The break %(break)s must end after it starts.")
                    % {"break": _range_text(start, end)}
                }
            )
        if start < day_start or end > day_end:
            raise ValidationError(
                {
                    "breaks": _("The break %(break)s lies outside the day (%(day)s).")
                    % {"break": _range_text(start, end), "day": _range_text(day_start, day_end)}
                }
            )
    ordered = sorted(breaks)
    for (first_start, first_end), (second_start, second_end) in itertools.pairwise(ordered):
        if second_start < first_end:
            raise ValidationError(
                {
                    "breaks": _("The breaks %(first)s and %(second)s overlap.")
                    % {
                        "first": _range_text(first_start, first_end),
                        "second": _range_text(second_start, second_end),
                    }
                }
            )


def free_periods(
    *, day_start: dt.time, day_end: dt.time, breaks: Sequence[tuple[dt.time, dt.time]]
) -> list[tuple[int, int]]:
    """The day's hours minus its breaks, as (start, end) minutes after midnight.

    Raises ``ValidationError`` (keyed ``day_end`` or ``breaks``) for a day that ends before
    it starts, breaks outside the day or overlapping one another, or no time left.
    """
    if day_end <= day_start:
        raise ValidationError({"day_end": _("The day must end after it starts.")})
    _check_breaks(day_start, day_end, breaks)
    periods, cursor = [], _minutes(day_start)
    for start, end in sorted(breaks):
        if _minutes(start) > cursor:
            periods.append((cursor, _minutes(start)))
        cursor = max(cursor, _minutes(end))
    if _minutes(day_end) > cursor:
        periods.append((cursor, _minutes(day_end)))
    if not periods:
        raise ValidationError({"breaks": _("The breaks leave no time for sessions.")})
    return periods


def _checked_weekdays(weekdays: Iterable[int]) -> frozenset[int]:
    weekdays = frozenset(weekdays)
    if not weekdays:
        raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
    if not weekdays <= set(range(7)):
        raise ValidationError({"weekdays": _("Days of the week are numbered 0 (Monday) to 6.")})
    return weekdays


def _blocks(
    start_date: dt.date, weekdays: frozenset[int], periods: list[tuple[int, int]]
) -> Iterator[_Block]:
    for offset in itertools.count():
        day = start_date + dt.timedelta(days=offset)
        if day.weekday() in weekdays:
            for start, end in periods:
                yield _Block(day, start, end)


class _Placer:
    """Walks the free blocks, handing out the time each module takes."""

    def __init__(self, blocks: Iterator[_Block]) -> None:
        self._blocks = blocks
        self._block = next(blocks)
        self._cursor = self._block.start

    def _next_block(self) -> None:
        self._block = next(self._blocks)
        self._cursor = self._block.start

    def place(self, minutes: int) -> list[_Piece]:
        if self._cursor + minutes > self._block.end and self._cursor > self._block.start:
            self._next_block()
        pieces, remaining = [], minutes
        while remaining:
            if self._cursor == self._block.end:
                self._next_block()
            taken = min(remaining, self._block.end - self._cursor)
            pieces.append(_Piece(self._block.day, self._cursor, self._cursor + taken))
            self._cursor += taken
            remaining -= taken
        return pieces


def _title(module: Module, part: int, parts: int) -> str:
    if parts == 1:
        return module.title[:TITLE_MAX_LENGTH]
    suffix = f" ({part}/{parts})"
    return module.title[: TITLE_MAX_LENGTH - len(suffix)] + suffix


def sessions_propose(
    *,
    cohort: Cohort,
    start_date: dt.date,
    day_start: dt.time,
    day_end: dt.time,
    breaks: Sequence[tuple[dt.time, dt.time]],
    weekdays: Iterable[int] = MONDAY_TO_SATURDAY,
    room: str = "",
    trainers: Iterable[Member] = (),
) -> list[ProposedSession]:
    """Sessions covering every module of the cohort's curriculum in order (see the module's
    docstring). ``weekdays`` counts from 0 (Monday); one query reads the modules.

    Raises ``ValidationError`` keyed by the planning form's field names where there is one.
    """
    check_plausible_date(start_date, field="start_date")
    periods = free_periods(day_start=day_start, day_end=day_end, breaks=breaks)
    weekdays = _checked_weekdays(weekdays)
    modules = list(cohort.curriculum.modules.order_by("position", "id"))
    if not modules:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _("The curriculum “%(curriculum)s” has no modules to plan.")
                % {"curriculum": cohort.curriculum.title}
            }
        )
    placer = _Placer(_blocks(start_date, weekdays, periods))
    trainers = tuple(trainers)
    proposed = []
    for module in modules:
        pieces = placer.place(module.duration_minutes)
        for part, piece in enumerate(pieces, start=1):
            start_time, end_time = _time(piece.start), _time(piece.end)
            proposed.append(
                ProposedSession(
                    title=_title(module, part, len(pieces)),
                    day=piece.day,
                    start_time=start_time,
                    end_time=end_time,
                    starts_at=zones.aware(piece.day, start_time, cohort),
                    ends_at=zones.aware(piece.day, end_time, cohort),
                    module=module,
                    part=part,
                    parts=len(pieces),
                    room=room,
                    trainers=trainers,
                )
            )
    return proposed
