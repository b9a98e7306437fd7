"""Races for seats, on Postgres: every path that gives or frees a seat — self-registration,
approval, promotion from the waiting list, the organizer's add and move, a capacity change — run
from many threads at once, each thread on its own database connection.

Each race ends with exactly min(capacity, demand) confirmed, the rest on the waiting list
in the order they reached the cohort's lock, no error and no duplicate. A control race
with the lock switched off overbooks, so these tests can see the bug they guard against.
(SQLite serializes every write and has no row locks: nothing to race there.)
"""

import datetime as dt
import itertools
import queue
import threading
import time
from collections.abc import Callable, Sequence

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from cohorts.messages import ENROLLMENT_SUBJECTS as SUBJECTS
from cohorts.models import Cohort, Enrollment, EnrollmentChange
from cohorts.services.cohorts import cohort_update
from cohorts.services.enrollments import (
    Registration,
    RegistrationBusyError,
    enrollment_add,
    enrollment_cancel,
    enrollment_move,
    enrollment_register,
    enrollments_approve,
)
from cohorts.tasks import dispatch_notifications
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import OrganizationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need Postgres"),
]


@pytest.fixture(autouse=True)
def _messages_wait_for_the_worker(monkeypatch):
    """As in production, the registering threads only write the outbox; the worker
    sends. (Sending inline in 60 threads would compete for the interpreter with the
    thread holding the cohort's lock, which only this test process has to share.)"""
    monkeypatch.setattr("cohorts.services.notifications._dispatch_now", lambda: None)


def send_due_messages() -> int:
    """What the worker does next: claim everything due and send it."""
    return dispatch_notifications.apply().get()


Status = Enrollment.Status
BUSY = "Many people are registering right now. Please try again in a moment."
_batches = itertools.count()


def open_cohort(**fields) -> Cohort:
    fields.setdefault("starts_on", timezone.localdate() + dt.timedelta(days=60))
    return CohortFactory(**fields)


def members(count: int) -> list[Member]:
    """``count`` members who agreed to the use of their data, in two queries."""
    organization, batch, now = OrganizationFactory(), next(_batches), timezone.now()
    return Member.objects.bulk_create(
        Member(
            full_name=f"Anggota {batch}-{number}",
            email=f"anggota{batch}-{number}@example.org",
            organization=organization,
            consent_given_at=now,
            consent_text_version="1",
        )
        for number in range(count)
    )


def waiting(cohort: Cohort, people: Sequence[Member]) -> list[Enrollment]:
    """``people`` on the waiting list, joined one minute apart an hour ago."""
    start = timezone.now() - dt.timedelta(hours=1)
    return [
        EnrollmentFactory(
            cohort=cohort,
            member=person,
            status=Status.WAITLISTED,
            waitlisted_at=start + dt.timedelta(minutes=number),
        )
        for number, person in enumerate(people)
    ]


def connections_to_spare() -> int:
    """How many connections a race may open: what the server has left once its reserved
    slots and the clients already connected (other test runs share it) are counted, less
    a margin; between 10 and 60."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)"
        )
        (left,) = cursor.fetchone()
    return max(10, min(60, left - 15))


def at_once(calls: Sequence[Callable[[], object]]) -> list[object]:
    """Run ``calls`` concurrently; what each returned or raised, in the order given.

    One thread per call, each on its own connection, up to what the server can spare
    (``connections_to_spare``). With more calls than threads, every call is queued
    before any starts; the threads pass a barrier together and each takes the next call
    as soon as its last one is done, so the cohort's lock always has as many callers
    waiting as there are threads: the server's connection limit, not the test, decides
    how many run at the same moment.
    """
    workers = min(len(calls), connections_to_spare())
    work: queue.SimpleQueue = queue.SimpleQueue()
    for item in enumerate(calls):
        work.put(item)
    ready = threading.Barrier(workers)
    outcomes: list[object] = [None] * len(calls)
    failures: list[BaseException] = []

    def work_through_the_queue() -> None:
        try:
            connection.ensure_connection()
            ready.wait(timeout=30)
            while True:
                try:
                    index, call = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcomes[index] = call()
                except Exception as error:  # noqa: BLE001 - each outcome is checked below
                    outcomes[index] = error
        except Exception as error:  # noqa: BLE001 - no connection or a broken barrier
            failures.append(error)
            ready.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=work_through_the_queue) for _number in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    return outcomes


def registrations(cohort: Cohort, people: Sequence[Member]) -> list[Callable[[], Registration]]:
    return [
        lambda person=person: enrollment_register(cohort=cohort, member=person, by=None)
        for person in people
    ]


def errors(outcomes: Sequence[object]) -> list[Exception]:
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]


def in_lock_order(cohort: Cohort, status: str) -> list[Enrollment]:
    """Ids are drawn when a row is inserted, under the cohort's lock: they number the
    lock holders in turn."""
    return list(cohort.enrollments.filter(status=status).order_by("id"))


def queue_of(cohort: Cohort) -> list[Enrollment]:
    """The waiting list as promotion reads it."""
    return list(cohort.enrollments.filter(status=Status.WAITLISTED).order_by("waitlisted_at", "id"))


def assert_seats_went_first_come_first_served(cohort: Cohort, *, seats: int, total: int):
    """``seats`` confirmed — the earliest to take the lock — and the others waiting in
    the order they took it, at strictly increasing times."""
    everyone = list(cohort.enrollments.order_by("id"))
    confirmed, waitlisted = in_lock_order(cohort, Status.CONFIRMED), queue_of(cohort)
    assert (len(everyone), len(confirmed), len(waitlisted)) == (total, seats, total - seats)
    assert len({enrollment.member_id for enrollment in everyone}) == total
    assert confirmed == everyone[:seats]
    assert waitlisted == everyone[seats:]
    joined = [enrollment.waitlisted_at for enrollment in waitlisted]
    assert all(earlier < later for earlier, later in itertools.pairwise(joined))
    arrived = EnrollmentChange.objects.filter(from_status="")  # when each took the lock
    seated_at = arrived.filter(enrollment__in=confirmed).values_list("changed_at", flat=True)
    queued_at = arrived.filter(enrollment__in=waitlisted).values_list("changed_at", flat=True)
    assert max(seated_at) <= min(queued_at, default=timezone.now())


def subject(kind: str, cohort: Cohort) -> str:
    with translation.override("id"):
        return str(SUBJECTS[kind]) % {"cohort": cohort.title}


# Self-registration -------------------------------------------------------------------


def test_200_members_registering_at_once_for_30_seats_five_times_over(mailoutbox):
    """The acceptance race: 200 different members, 30 seats, repeated five times.

    "At once" means: all 200 registrations are queued before the first starts and run
    on as many threads and connections as the server can spare (see ``at_once``; the
    default of 100 connections leaves about 60), so the lock is contended throughout."""
    people = members(200)
    for _round in range(5):
        cohort = open_cohort(capacity=30)
        mailoutbox.clear()

        outcomes = at_once(registrations(cohort, people))
        send_due_messages()

        assert errors(outcomes) == []
        assert all(isinstance(o, Registration) and o.created for o in outcomes)
        assert len({o.enrollment.pk for o in outcomes}) == 200
        assert_seats_went_first_come_first_served(cohort, seats=30, total=200)
        assert len({message.to[0] for message in mailoutbox}) == len(mailoutbox) == 200
        subjects = [message.subject for message in mailoutbox]
        assert subjects.count(subject("confirmed", cohort)) == 30
        assert subjects.count(subject("waitlisted", cohort)) == 170


def test_the_same_member_registering_from_five_tabs_at_once_gets_one_enrollment():
    cohort, [person] = open_cohort(capacity=30), members(1)

    outcomes = at_once([lambda: enrollment_register(cohort=cohort, member=person)] * 5)

    assert errors(outcomes) == []
    assert sorted(outcome.created for outcome in outcomes) == [False] * 4 + [True]
    assert {outcome.enrollment.pk for outcome in outcomes} == {cohort.enrollments.get().pk}


def test_control_without_the_lock_the_same_race_overbooks(settings):
    """Proof that the races above can fail: without the lock, and with a short sleep
    after counting the seats, many registrations see the same free seats."""
    settings.ENROLLMENT_LOCK_ENABLED = False
    settings.ENROLLMENT_TEST_RACE_SLEEP = 0.05
    cohort, people = open_cohort(capacity=5), members(20)

    at_once(registrations(cohort, people))

    assert cohort.enrollments.filter(status=Status.CONFIRMED).count() > cohort.capacity


# Waiting too long for the lock -------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_waiting_too_long_for_the_lock_answers_please_try_again_and_writes_nothing(
    language, settings, mailoutbox
):
    """Another connection holds the cohort's lock (an organizer's long save, a burst of
    registrations): past ``ENROLLMENT_LOCK_TIMEOUT`` the member is asked to try again."""
    settings.ENROLLMENT_LOCK_TIMEOUT = 0.2
    cohort, [person] = open_cohort(), members(1)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                Cohort.objects.select_for_update().get(pk=cohort.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        started = time.monotonic()
        with translation.override(language), pytest.raises(RegistrationBusyError) as busy:
            enrollment_register(cohort=cohort, member=person)
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join(timeout=10)

    with translation.override(language):
        assert busy.value.messages == [gettext(BUSY)]
    assert 0.2 <= waited < 2
    assert not Enrollment.objects.exists()
    assert not EnrollmentChange.objects.exists()
    assert mailoutbox == []
    # The lock is free again: the same registration goes through.
    assert enrollment_register(cohort=cohort, member=person).enrollment.status == Status.CONFIRMED


# Approval ------------------------------------------------------------------------------


def test_twenty_approvals_at_once_confirm_exactly_the_capacity(organizer):
    cohort = open_cohort(capacity=5, requires_approval=True)
    applicants = [
        EnrollmentFactory(cohort=cohort, member=person, status=Status.PENDING)
        for person in members(20)
    ]

    outcomes = at_once(
        [
            lambda pk=applicant.pk: enrollments_approve(
                cohort=cohort, enrollment_ids=[pk], by=organizer
            )
            for applicant in applicants
        ]
    )

    assert errors(outcomes) == []
    assert [len(approved) for approved in outcomes] == [1] * 20
    decisions = list(EnrollmentChange.objects.order_by("id"))  # in the order of the lock
    assert [change.to_status for change in decisions] == [Status.CONFIRMED] * 5 + [
        Status.WAITLISTED
    ] * 15
    assert len({change.enrollment_id for change in decisions}) == 20
    assert queue_of(cohort) == [change.enrollment for change in decisions[5:]]


def test_organizers_approving_the_same_registrations_at_once_approve_each_once(organizer):
    cohort = open_cohort(capacity=5, requires_approval=True)
    applicants = [
        EnrollmentFactory(cohort=cohort, member=person, status=Status.PENDING)
        for person in members(12)
    ]
    every_id = [applicant.pk for applicant in applicants]

    outcomes = at_once(
        [lambda: enrollments_approve(cohort=cohort, enrollment_ids=every_id, by=organizer)] * 4
    )

    assert errors(outcomes) == []
    assert sorted(len(approved) for approved in outcomes) == [0, 0, 0, 12]
    assert EnrollmentChange.objects.count() == 12
    assert in_lock_order(cohort, Status.CONFIRMED) == applicants[:5]
    assert queue_of(cohort) == applicants[5:]


# Cancelling and promotion --------------------------------------------------------------


def test_ten_cancellations_at_once_still_leave_exactly_the_capacity_confirmed(mailoutbox):
    cohort = open_cohort(capacity=10)
    people = members(25)
    seated = [EnrollmentFactory(cohort=cohort, member=person) for person in people[:10]]
    queued = waiting(cohort, people[10:])

    outcomes = at_once(
        [lambda seat=seat: enrollment_cancel(enrollment=seat, by=None) for seat in seated]
    )
    send_due_messages()

    assert errors(outcomes) == []
    assert in_lock_order(cohort, Status.CONFIRMED) == queued[:10]
    assert queue_of(cohort) == queued[10:]
    assert cohort.enrollments.filter(status=Status.CANCELLED).count() == 10
    promotions = EnrollmentChange.objects.filter(from_status=Status.WAITLISTED)
    assert sorted(promotions.values_list("enrollment", flat=True)) == [e.pk for e in queued[:10]]
    assert len(mailoutbox) == 20
    assert len({message.to[0] for message in mailoutbox}) == 20


def test_cancellations_racing_with_registrations_give_freed_seats_in_turn():
    """Freed seats go first to those already waiting, then to newcomers in the order they
    took the lock; a newcomer never takes a seat while someone waits."""
    cohort = open_cohort(capacity=10)
    people = members(25)
    seated = [EnrollmentFactory(cohort=cohort, member=person) for person in people[:10]]
    queued = waiting(cohort, people[10:15])
    newcomers = people[15:]

    outcomes = at_once(
        [lambda seat=seat: enrollment_cancel(enrollment=seat, by=None) for seat in seated]
        + registrations(cohort, newcomers)
    )

    assert errors(outcomes) == []
    joined = list(cohort.enrollments.filter(member__in=newcomers).order_by("id"))
    assert in_lock_order(cohort, Status.CONFIRMED) == queued + joined[:5]
    assert queue_of(cohort) == joined[5:]


# The organizer's add -------------------------------------------------------------------


def test_organizers_adding_members_while_members_register_never_overbook(organizer):
    cohort = open_cohort(capacity=10)
    people = members(30)

    outcomes = at_once(
        [
            lambda person=person: enrollment_add(cohort=cohort, member=person, by=organizer)
            for person in people[:15]
        ]
        + registrations(cohort, people[15:])
    )

    assert errors(outcomes) == []
    assert_seats_went_first_come_first_served(cohort, seats=10, total=30)
    sources = set(cohort.enrollments.values_list("source", flat=True))
    assert sources == {Enrollment.Source.ORGANIZER, Enrollment.Source.SELF}


def test_an_organizer_adding_a_member_who_registers_at_that_moment_makes_one_enrollment(
    organizer,
):
    cohort, [person] = open_cohort(capacity=10), members(1)

    outcomes = at_once(
        [
            lambda: enrollment_add(cohort=cohort, member=person, by=organizer),
            lambda: enrollment_register(cohort=cohort, member=person),
        ]
    )

    # Whoever comes second meets the first: the member sees their enrollment, or the
    # organizer is told the member is already registered.
    assert cohort.enrollments.get().status == Status.CONFIRMED
    refused = errors(outcomes)
    assert len(refused) <= 1
    assert all(type(error) is ValidationError for error in refused)


# Capacity changes ------------------------------------------------------------------------


def test_capacity_raised_twice_at_once_while_members_register(organizer):
    """Two organizers raise the capacity at the same moment, to 12 and to 15. Whichever
    comes last sets it — unless 15 came first and filled more than 12 seats: then the
    change to 12 is refused with the capacity message (an answer, not an error)."""
    cohort = open_cohort(capacity=5)
    people = members(30)
    calls = registrations(cohort, people)
    calls.insert(10, lambda: cohort_update(cohort=cohort, by=organizer, capacity=12))
    calls.insert(20, lambda: cohort_update(cohort=cohort, by=organizer, capacity=15))

    outcomes = at_once(calls)

    refused = errors(outcomes)
    assert len(refused) <= 1
    assert all(set(error.message_dict) == {"capacity"} for error in refused)
    updates = [outcome for outcome in outcomes if isinstance(outcome, Cohort)]
    assert len(updates) + len(refused) == 2
    cohort.refresh_from_db()
    assert cohort.capacity == max(updates, key=lambda update: update.updated_at).capacity
    assert_seats_went_first_come_first_served(cohort, seats=cohort.capacity, total=30)


# The organizer's move from the waiting list to a seat ------------------------------


def test_organizers_moving_people_to_seats_while_members_register_never_overbook(organizer):
    cohort = open_cohort(capacity=8)
    queued = waiting(cohort, members(12))
    # Five seats taken, three free: moves and registrations race for them.
    for person in members(5):
        EnrollmentFactory(cohort=cohort, member=person)

    outcomes = at_once(
        [
            *(
                lambda pk=enrollment.pk: enrollment_move(
                    enrollment=Enrollment.objects.get(pk=pk),
                    to_status=Status.CONFIRMED,
                    by=organizer,
                )
                for enrollment in queued
            ),
            *registrations(cohort, members(6)),
        ]
    )

    refused = errors(outcomes)
    assert all(isinstance(error, ValidationError) for error in refused)
    assert not any(isinstance(error, RegistrationBusyError) for error in refused)
    assert cohort.enrollments.filter(status=Status.CONFIRMED).count() == 8
    moved = sum(1 for outcome in outcomes[:12] if isinstance(outcome, Enrollment))
    assert moved + len(refused) == 12
    # Newcomers never take a seat while people wait: all six joined the waiting list.
    newcomers = [outcome.enrollment for outcome in outcomes[12:]]
    assert {enrollment.status for enrollment in newcomers} == {Status.WAITLISTED}
