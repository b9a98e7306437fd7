"""What a roll call shows: the session, everyone on its roll (by name) with the mark each
has for it, and the counts. Two queries whatever the number of participants."""

from dataclasses import dataclass

from django.db.models import Prefetch

from cohorts.models import Attendance, Enrollment, Session
from cohorts.selectors.schedule import CalendarEvent
from cohorts.services.attendance import ON_THE_ROLL

NOT_MARKED = ""


@dataclass(frozen=True)
class RollCallEntry:
    enrollment: Enrollment
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else NOT_MARKED

    @property
    def note(self) -> str:
        return self.attendance.note if self.attendance else ""


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class RollCall:
    session: Session
    event: CalendarEvent
    entries: list[RollCallEntry]

    @property
    def counts(self) -> list[StatusCount]:
        marked = [entry.status for entry in self.entries]
        return [
            StatusCount(status=status, label=label, count=marked.count(status))
            for status, label in Attendance.Status.choices
        ]

    @property
    def not_marked(self) -> int:
        return sum(1 for entry in self.entries if entry.attendance is None)


def session_for_roll_call(*, pk: int) -> Session:
    """The session with its cohort; ``Session.DoesNotExist`` if there is none."""
    return Session.objects.select_related("cohort").get(pk=pk)


def roll_call(*, session: Session) -> RollCall:
    """``session`` must come with its cohort loaded (``session_for_roll_call``)."""
    enrollments = (
        session.cohort.enrollments.filter(status__in=ON_THE_ROLL)
        .select_related("member")
        .only("id", "cohort_id", "status", "member__id", "member__full_name")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(session=session),
                to_attr="marks",
            )
        )
        .order_by("member__full_name", "id")
    )
    entries = [
        RollCallEntry(enrollment=enrollment, attendance=next(iter(enrollment.marks), None))
        for enrollment in enrollments
    ]
    return RollCall(session=session, event=CalendarEvent.of(session), entries=entries)
