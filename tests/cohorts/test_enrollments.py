"""The enrollment service, one path at a time: registering, approval and rejection,
cancelling and promotion from the waiting list, the organizer's add and move, capacity
changes and cancelled cohorts, with the history and the message each change leaves.

Races between these paths are in ``test_enrollments_concurrency.py`` (Postgres)."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from cohorts.messages import ENROLLMENT_SUBJECTS as SUBJECTS
from cohorts.models import Cohort, Enrollment, EnrollmentChange, Notification
from cohorts.services.cohorts import cohort_transition, cohort_update
from cohorts.services.enrollments import (
    enrollment_add,
    enrollment_cancel,
    enrollment_move,
    enrollment_register,
    enrollments_approve,
    enrollments_reject,
)
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
_numbers = itertools.count()


def first_day() -> dt.date:
    """Two months ahead, in a month whose name differs in Indonesian and English (not
    April, September or November), so a message's dates show its language."""
    day = timezone.localdate() + dt.timedelta(days=60)
    while day.month in {4, 9, 11}:
        day += dt.timedelta(days=30)
    return day


def open_cohort(**fields) -> Cohort:
    fields.setdefault("starts_on", first_day())
    fields.setdefault("capacity", 2)
    return CohortFactory(**fields)


def member(**fields) -> Member:
    """A member who agreed to the use of their data and has an e-mail address."""
    fields.setdefault("email", f"anggota{next(_numbers)}@example.org")
    return MemberFactory(consent_given_at=timezone.now(), consent_text_version="1", **fields)


def waiting(cohort: Cohort, count: int) -> list[Enrollment]:
    """``count`` people on the waiting list, joined one minute apart."""
    start = timezone.now() - dt.timedelta(hours=1)
    return [
        EnrollmentFactory(
            cohort=cohort,
            member=member(),
            status=Status.WAITLISTED,
            waitlisted_at=start + dt.timedelta(minutes=number),
        )
        for number in range(count)
    ]


def statuses(cohort: Cohort) -> dict[int, str]:
    return dict(cohort.enrollments.values_list("pk", "status"))


def history(enrollment: Enrollment) -> list[tuple[str, str, object, str]]:
    return list(
        enrollment.changes.order_by("changed_at", "id").values_list(
            "from_status", "to_status", "changed_by", "note"
        )
    )


def subject(kind: str, cohort: Cohort, language: str = "id") -> str:
    with translation.override(language):
        return str(SUBJECTS[kind]) % {"cohort": cohort.title}


def english_messages(call) -> list[str]:
    """What ``call`` refuses with, in English (the catalogue returns the msgids)."""
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call()
    return refused.value.messages


# The database keeps one active enrollment per member and cohort ------------------------


@pytest.mark.parametrize("active", Enrollment.ACTIVE_STATUSES)
def test_the_database_refuses_a_second_active_enrollment(active):
    first = EnrollmentFactory(status=active)

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(
            cohort=first.cohort,
            member=first.member,
            status=Status.WAITLISTED,
            waitlisted_at=timezone.now(),
        )


@pytest.mark.parametrize("inactive", [Status.CANCELLED, Status.REJECTED])
def test_a_cancelled_or_rejected_enrollment_leaves_room_for_a_new_one(inactive):
    old = EnrollmentFactory(status=inactive)

    Enrollment.objects.create(cohort=old.cohort, member=old.member, status=Status.CONFIRMED)

    assert old.cohort.enrollments.filter(member=old.member).count() == 2


# Registering -------------------------------------------------------------------------


def test_a_member_takes_a_free_seat_and_is_told_once_in_indonesian(
    participant, django_capture_on_commit_callbacks, mailoutbox
):
    cohort, person = open_cohort(), member()

    with django_capture_on_commit_callbacks(execute=True):
        registration = enrollment_register(
            cohort=cohort, member=person, answers={"motivation": "Belajar"}, by=participant
        )

    enrollment = registration.enrollment
    assert registration.created
    assert (enrollment.status, enrollment.answers) == (Status.CONFIRMED, {"motivation": "Belajar"})
    assert enrollment.source == Enrollment.Source.SELF
    assert enrollment.waitlisted_at is None
    assert history(enrollment) == [("", Status.CONFIRMED, participant.pk, "")]
    assert timezone.now() - enrollment.changes.get().changed_at < dt.timedelta(minutes=1)
    [message] = mailoutbox
    assert message.to == [person.email]
    assert message.subject == subject("confirmed", cohort)
    with translation.override("id"):
        assert date_format(cohort.starts_on, "j F Y") in message.body
    with translation.override("en"):
        assert date_format(cohort.starts_on, "j F Y") not in message.body


def test_a_member_who_prefers_english_is_told_in_english(
    django_capture_on_commit_callbacks, mailoutbox
):
    cohort, person = open_cohort(), member(preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        enrollment_register(cohort=cohort, member=person)

    [message] = mailoutbox
    assert message.subject == f"Your seat is confirmed: {cohort.title}"
    assert f"Your seat in {cohort.title} is confirmed." in message.body
    with translation.override("en"):
        assert date_format(cohort.starts_on, "j F Y") in message.body


def test_a_member_without_an_email_address_registers_without_a_message(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = enrollment_register(cohort=open_cohort(), member=member(email=""))

    assert registration.enrollment.status == Status.CONFIRMED
    assert mailoutbox == []


def test_a_full_cohort_puts_the_member_on_the_waiting_list(
    django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(capacity=1)
    EnrollmentFactory(cohort=cohort)

    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_register(cohort=cohort, member=member()).enrollment

    assert enrollment.status == Status.WAITLISTED
    assert enrollment.waitlisted_at is not None
    assert [m.subject for m in mailoutbox] == [subject("waitlisted", cohort)]


def test_an_approval_cohort_keeps_the_registration_pending_even_with_free_seats(
    django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(requires_approval=True)

    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_register(cohort=cohort, member=member()).enrollment

    assert enrollment.status == Status.PENDING
    assert [m.subject for m in mailoutbox] == [subject("pending", cohort)]


@pytest.mark.parametrize("status", [Status.PENDING, Status.CONFIRMED, Status.WAITLISTED])
def test_registering_twice_answers_with_the_existing_enrollment_and_writes_nothing(
    status, django_capture_on_commit_callbacks, mailoutbox
):
    cohort, person = open_cohort(), member()
    existing = EnrollmentFactory(cohort=cohort, member=person, status=status)

    with django_capture_on_commit_callbacks(execute=True):
        registration = enrollment_register(cohort=cohort, member=person, answers={"x": "y"})

    assert (registration.enrollment, registration.created) == (existing, False)
    assert registration.enrollment.status == status
    assert cohort.enrollments.count() == 1
    assert not EnrollmentChange.objects.exists()
    assert mailoutbox == []


def test_after_registration_closes_a_member_still_sees_their_enrollment():
    person = member()
    cohort = open_cohort(registration_closes_at=timezone.now() - dt.timedelta(minutes=1))
    existing = EnrollmentFactory(cohort=cohort, member=person)

    assert enrollment_register(cohort=cohort, member=person).enrollment == existing


def test_a_member_who_cancelled_can_register_again():
    cohort, person = open_cohort(), member()
    EnrollmentFactory(cohort=cohort, member=person, status=Status.CANCELLED)

    registration = enrollment_register(cohort=cohort, member=person)

    assert registration.created
    assert registration.enrollment.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"registration_opens_at": timezone.now() + dt.timedelta(days=1)},
            "Registration for this training has not opened yet.",
        ),
        (
            {"registration_closes_at": timezone.now() - dt.timedelta(minutes=1)},
            "Registration for this training has closed.",
        ),
        ({"status": Cohort.Status.DRAFT}, "This training is not open for registration."),
        ({"status": Cohort.Status.CANCELLED}, "This training is not open for registration."),
        ({"status": Cohort.Status.RUNNING}, "This training is not open for registration."),
    ],
    ids=["not-yet-open", "closed", "draft", "cancelled", "running"],
)
def test_registering_outside_the_window_is_refused_and_writes_nothing(
    fields, reason, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(**fields)

    with django_capture_on_commit_callbacks(execute=True):
        refused = english_messages(lambda: enrollment_register(cohort=cohort, member=member()))

    assert refused == [reason]
    assert not Enrollment.objects.exists()
    assert not EnrollmentChange.objects.exists()
    assert mailoutbox == []


def test_registering_without_consent_is_refused():
    person = MemberFactory(email="tanpa.izin@example.org")

    refused = english_messages(lambda: enrollment_register(cohort=open_cohort(), member=person))

    assert refused == ["Agree to the use of your data before registering."]
    assert not Enrollment.objects.exists()


def test_a_newcomer_does_not_take_a_free_seat_from_people_already_waiting(organizer):
    """An organizer moving someone to the waiting list frees a seat; the people who were
    already waiting keep their turn (first come, first served) — a newcomer queues."""
    cohort = open_cohort(capacity=1)
    seated = EnrollmentFactory(cohort=cohort)
    [first_in_line] = waiting(cohort, 1)
    enrollment_move(enrollment=seated, to_status=Status.WAITLISTED, by=organizer)

    newcomer = enrollment_register(cohort=cohort, member=member()).enrollment

    assert newcomer.status == Status.WAITLISTED
    assert not cohort.enrollments.filter(status=Status.CONFIRMED).exists()
    queue = cohort.enrollments.filter(status=Status.WAITLISTED).order_by("waitlisted_at", "id")
    assert list(queue) == [first_in_line, seated, newcomer]


# The organizer's manual add ----------------------------------------------------------


def test_an_organizer_adds_a_member_to_a_seat_then_to_the_waiting_list(organizer):
    cohort = open_cohort(capacity=1)

    seated = enrollment_add(cohort=cohort, member=member(), by=organizer)
    queued = enrollment_add(cohort=cohort, member=member(), by=organizer)

    assert (seated.status, queued.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert {seated.source, queued.source} == {Enrollment.Source.ORGANIZER}
    assert history(seated) == [("", Status.CONFIRMED, organizer.pk, "")]


def test_an_organizer_cannot_add_someone_already_registered(organizer):
    cohort, person = open_cohort(), member(full_name="Siti Rahayu")
    EnrollmentFactory(cohort=cohort, member=person, status=Status.WAITLISTED)

    refused = english_messages(lambda: enrollment_add(cohort=cohort, member=person, by=organizer))

    assert refused == ["Siti Rahayu is already registered (on the waiting list)."]
    assert cohort.enrollments.count() == 1


@pytest.mark.parametrize("status", [Cohort.Status.DRAFT, Cohort.Status.CANCELLED])
def test_an_organizer_adds_members_only_while_the_cohort_is_open_or_running(status, organizer):
    cohort = open_cohort(status=status)

    refused = english_messages(lambda: enrollment_add(cohort=cohort, member=member(), by=organizer))

    assert refused == ["Members can be added only while the cohort is open or running."]
    assert not Enrollment.objects.exists()


def test_an_organizer_adds_members_while_the_cohort_runs(organizer):
    cohort = open_cohort(status=Cohort.Status.RUNNING)

    assert enrollment_add(cohort=cohort, member=member(), by=organizer).status == Status.CONFIRMED


# Approval and rejection --------------------------------------------------------------


def pending(cohort: Cohort, count: int) -> list[Enrollment]:
    return [
        enrollment_register(cohort=cohort, member=member()).enrollment for _number in range(count)
    ]


def test_approval_gives_seats_in_the_order_people_registered_and_queues_the_rest(
    organizer, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(capacity=2, requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third = pending(cohort, 3)
    mailoutbox.clear()  # the "registration received" messages
    EnrollmentFactory(cohort=cohort)  # one seat already taken

    with django_capture_on_commit_callbacks(execute=True):
        approved = enrollments_approve(
            cohort=cohort,
            enrollment_ids=[third.pk, second.pk, first.pk],
            by=organizer,
            message="Sampai jumpa di Lubuklinggau",
        )

    assert [(e.pk, e.status) for e in approved] == [
        (first.pk, Status.CONFIRMED),
        (second.pk, Status.WAITLISTED),
        (third.pk, Status.WAITLISTED),
    ]
    assert history(first)[-1] == (
        Status.PENDING,
        Status.CONFIRMED,
        organizer.pk,
        "Sampai jumpa di Lubuklinggau",
    )
    by_address = {message.to[0]: message for message in mailoutbox}
    assert len(mailoutbox) == len(by_address) == 3
    assert by_address[first.member.email].subject == subject("confirmed", cohort)
    assert by_address[third.member.email].subject == subject("waitlisted", cohort)
    assert "Sampai jumpa di Lubuklinggau" in by_address[first.member.email].body


def test_approval_leaves_anything_but_pending_alone_and_other_cohorts_untouched(organizer):
    cohort = open_cohort(capacity=5, requires_approval=True)
    [applicant] = pending(cohort, 1)
    queued = EnrollmentFactory(cohort=cohort, status=Status.WAITLISTED)
    [elsewhere] = pending(open_cohort(requires_approval=True), 1)

    approved = enrollments_approve(
        cohort=cohort, enrollment_ids=[applicant.pk, queued.pk, elsewhere.pk], by=organizer
    )

    assert approved == [applicant]
    assert Enrollment.objects.get(pk=queued.pk).status == Status.WAITLISTED
    assert Enrollment.objects.get(pk=elsewhere.pk).status == Status.PENDING
    assert enrollments_approve(cohort=cohort, enrollment_ids=[applicant.pk], by=organizer) == []


def test_rejection_with_a_message_takes_pending_and_waiting_people_but_no_seat(
    organizer, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(capacity=1, requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        [applicant] = pending(cohort, 1)
    mailoutbox.clear()  # the "registration received" message
    seated = EnrollmentFactory(cohort=cohort)
    [queued] = waiting(cohort, 1)

    with django_capture_on_commit_callbacks(execute=True):
        rejected = enrollments_reject(
            cohort=cohort,
            enrollment_ids=[applicant.pk, seated.pk, queued.pk],
            by=organizer,
            message="Kuota serikat sudah penuh",
        )

    assert {e.pk for e in rejected} == {applicant.pk, queued.pk}
    assert statuses(cohort) == {
        applicant.pk: Status.REJECTED,
        seated.pk: Status.CONFIRMED,
        queued.pk: Status.REJECTED,
    }
    assert history(queued) == [
        (Status.WAITLISTED, Status.REJECTED, organizer.pk, "Kuota serikat sudah penuh")
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [applicant.member.email, queued.member.email]
    )
    assert {m.subject for m in mailoutbox} == {subject("rejected", cohort)}
    assert all("Kuota serikat sudah penuh" in m.body for m in mailoutbox)


# Cancelling and promotion ------------------------------------------------------------


def test_cancelling_a_seat_promotes_the_first_waiting_and_queues_one_message_each(
    participant, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(capacity=1)
    seated = EnrollmentFactory(cohort=cohort, member=member())
    first, second = waiting(cohort, 2)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrollment_cancel(enrollment=seated, by=participant, note="Sakit")

    assert len(callbacks) == 1  # one dispatcher run sends both messages
    assert statuses(cohort) == {
        seated.pk: Status.CANCELLED,
        first.pk: Status.CONFIRMED,
        second.pk: Status.WAITLISTED,
    }
    assert history(seated) == [(Status.CONFIRMED, Status.CANCELLED, participant.pk, "Sakit")]
    assert history(first) == [(Status.WAITLISTED, Status.CONFIRMED, None, "")]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([seated.member.email], subject("cancelled", cohort)),
        ([first.member.email], subject("promoted", cohort)),
    ]


@pytest.mark.parametrize("status", [Status.PENDING, Status.WAITLISTED])
def test_cancelling_without_a_seat_promotes_nobody(status):
    cohort = open_cohort(capacity=1)
    leaving = EnrollmentFactory(cohort=cohort, status=status)
    [queued] = waiting(cohort, 1)

    enrollment_cancel(enrollment=leaving, by=None)

    assert statuses(cohort) == {leaving.pk: Status.CANCELLED, queued.pk: Status.WAITLISTED}


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.REJECTED, Status.COMPLETED])
def test_only_an_active_registration_can_be_cancelled(status):
    enrollment = EnrollmentFactory(cohort=open_cohort(), status=status)

    refused = english_messages(lambda: enrollment_cancel(enrollment=enrollment, by=None))

    with translation.override("en"):
        label = str(Status(status).label)
    assert refused == [f"A registration that is “{label}” cannot be cancelled."]
    assert not EnrollmentChange.objects.exists()


def test_cancelling_reads_the_enrollment_afresh_under_the_lock():
    cohort = open_cohort(capacity=1)
    stale = EnrollmentFactory(cohort=cohort)
    [queued] = waiting(cohort, 1)
    enrollment_cancel(enrollment=Enrollment.objects.get(pk=stale.pk), by=None)

    with pytest.raises(ValidationError):
        enrollment_cancel(enrollment=stale, by=None)

    assert Enrollment.objects.get(pk=queued.pk).status == Status.CONFIRMED


# Moving between the waiting list and a seat ------------------------------------------


def test_an_organizer_moves_someone_from_the_waiting_list_to_a_free_seat_and_back(organizer):
    cohort = open_cohort(capacity=1)
    first, second = waiting(cohort, 2)

    enrollment_move(enrollment=second, to_status=Status.CONFIRMED, by=organizer)
    assert statuses(cohort) == {first.pk: Status.WAITLISTED, second.pk: Status.CONFIRMED}

    back = enrollment_move(enrollment=second, to_status=Status.WAITLISTED, by=organizer)

    assert back.status == Status.WAITLISTED
    assert back.waitlisted_at > Enrollment.objects.get(pk=first.pk).waitlisted_at
    assert [row[:3] for row in history(second)] == [
        (Status.WAITLISTED, Status.CONFIRMED, organizer.pk),
        (Status.CONFIRMED, Status.WAITLISTED, organizer.pk),
    ]


def test_moving_into_a_full_cohort_is_refused_and_changes_nothing(organizer):
    cohort = open_cohort(capacity=1)
    EnrollmentFactory(cohort=cohort)
    [queued] = waiting(cohort, 1)

    refused = english_messages(
        lambda: enrollment_move(enrollment=queued, to_status=Status.CONFIRMED, by=organizer)
    )

    assert refused == ["The cohort is full (1 seats). Free a seat or raise the capacity first."]
    assert Enrollment.objects.get(pk=queued.pk).status == Status.WAITLISTED
    assert not EnrollmentChange.objects.exists()


@pytest.mark.parametrize(
    ("status", "to_status"),
    [
        (Status.PENDING, Status.CONFIRMED),
        (Status.CANCELLED, Status.CONFIRMED),
        (Status.CONFIRMED, Status.CANCELLED),
        (Status.WAITLISTED, Status.WAITLISTED),
    ],
)
def test_moves_other_than_between_seat_and_waiting_list_are_refused(status, to_status, organizer):
    enrollment = EnrollmentFactory(cohort=open_cohort(), status=status)

    refused = english_messages(
        lambda: enrollment_move(enrollment=enrollment, to_status=to_status, by=organizer)
    )

    assert refused == ["Only the waiting list and confirmed seats swap places."]
    assert Enrollment.objects.get(pk=enrollment.pk).status == status


# Capacity changes and cancelled cohorts ----------------------------------------------


def test_capacity_below_the_confirmed_people_is_refused_and_changes_nothing(organizer):
    cohort = open_cohort(capacity=3)
    title = cohort.title
    seated = [EnrollmentFactory(cohort=cohort) for _number in range(3)]

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        cohort_update(cohort=cohort, by=organizer, capacity=2, title="Judul baru")

    lower = "3 people are confirmed; the capacity cannot be lower. Cancel or move registrations"
    assert refused.value.message_dict == {"capacity": [f"{lower} first."]}
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.title) == (3, title)
    assert statuses(cohort) == {e.pk: Status.CONFIRMED for e in seated}


def test_capacity_down_to_the_confirmed_people_is_allowed(organizer):
    cohort = open_cohort(capacity=3)
    EnrollmentFactory(cohort=cohort)

    assert cohort_update(cohort=cohort, by=organizer, capacity=1).capacity == 1


def test_raising_the_capacity_promotes_the_waiting_list_in_the_order_people_joined(
    organizer, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(capacity=1)
    EnrollmentFactory(cohort=cohort)
    late, early, middle = waiting(cohort, 3)
    # Ids and places in the queue differ: the queue follows when each joined.
    late.waitlisted_at = timezone.now()
    late.save(update_fields=["waitlisted_at"])

    with django_capture_on_commit_callbacks(execute=True):
        cohort_update(cohort=cohort, by=organizer, capacity=3)

    assert Enrollment.objects.get(pk=early.pk).status == Status.CONFIRMED
    assert Enrollment.objects.get(pk=middle.pk).status == Status.CONFIRMED
    assert Enrollment.objects.get(pk=late.pk).status == Status.WAITLISTED
    assert history(early) == [(Status.WAITLISTED, Status.CONFIRMED, None, "")]
    assert [m.subject for m in mailoutbox] == [subject("promoted", cohort)] * 2


def test_cancelling_the_cohort_cancels_every_active_registration_with_a_message_each(
    organizer, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(capacity=1)
    seated = EnrollmentFactory(cohort=cohort, member=member())
    applicant = EnrollmentFactory(cohort=cohort, member=member(), status=Status.PENDING)
    queued = EnrollmentFactory(cohort=cohort, member=member(), status=Status.WAITLISTED)
    gone = EnrollmentFactory(cohort=cohort, member=member(), status=Status.REJECTED)

    with django_capture_on_commit_callbacks(execute=True):
        cohort_transition(cohort=cohort, to_status=Cohort.Status.CANCELLED, by=organizer)

    assert statuses(cohort) == {
        seated.pk: Status.CANCELLED,
        applicant.pk: Status.CANCELLED,
        queued.pk: Status.CANCELLED,
        gone.pk: Status.REJECTED,
    }
    assert history(queued) == [(Status.WAITLISTED, Status.CANCELLED, organizer.pk, "")]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        e.member.email for e in (seated, applicant, queued)
    )
    assert {m.subject for m in mailoutbox} == {subject("cohort_cancelled", cohort)}


# Messages ------------------------------------------------------------------------------


class BrokenMailServer:
    """An e-mail backend whose server is down."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp.example.org:587")


def test_a_mail_server_that_is_down_does_not_undo_or_break_a_registration(
    settings, django_capture_on_commit_callbacks
):
    """The message goes after commit from the outbox; its failure waits there for the
    next try, the seat stays taken and the member sees no error for a registration
    that succeeded."""
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"

    with django_capture_on_commit_callbacks(execute=True):
        registration = enrollment_register(cohort=open_cohort(), member=member())

    assert Enrollment.objects.get().status == Status.CONFIRMED == registration.enrollment.status
    message = Notification.objects.get(enrollment=registration.enrollment)
    assert (message.status, message.attempts) == ("scheduled", 1)
    assert "smtp.example.org" in message.last_error
    assert message.due_at > timezone.now()


def test_a_promotion_is_recorded_as_the_waiting_lists_doing_not_the_cancellers(organizer):
    cohort = CohortFactory(capacity=1)
    SessionFactory(cohort=cohort)
    seated = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.CONFIRMED)
    waiting = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WAITLISTED)

    enrollment_cancel(enrollment=seated, by=organizer)

    promotion = waiting.changes.get()
    assert (promotion.to_status, promotion.changed_by) == ("confirmed", None)


def test_the_message_links_to_the_registrations_own_page(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://tot.example.org"
    cohort = CohortFactory(capacity=5)
    SessionFactory(cohort=cohort)
    member = MemberFactory(email="anggota@example.org", consent_given_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        registration = enrollment_register(cohort=cohort, member=member)

    assert f"https://tot.example.org/trainings/{registration.enrollment.pk}/" in mailoutbox[0].body


@pytest.mark.parametrize("status", [Cohort.Status.COMPLETED, Cohort.Status.CANCELLED])
def test_registrations_of_a_finished_cohort_cannot_be_cancelled(status):
    cohort = open_cohort(capacity=1, status=status)
    seated = EnrollmentFactory(cohort=cohort)
    [queued] = waiting(cohort, 1)

    with pytest.raises(ValidationError):
        enrollment_cancel(enrollment=seated, by=None)

    assert statuses(cohort) == {seated.pk: Status.CONFIRMED, queued.pk: Status.WAITLISTED}


def test_a_seat_freed_once_the_training_runs_goes_to_nobody(mailoutbox):
    cohort = open_cohort(capacity=1, status=Cohort.Status.RUNNING)
    seated = EnrollmentFactory(cohort=cohort)
    [queued] = waiting(cohort, 1)

    enrollment_cancel(enrollment=seated, by=None)

    assert statuses(cohort) == {seated.pk: Status.CANCELLED, queued.pk: Status.WAITLISTED}


def test_a_cohort_with_registrations_cannot_go_back_to_draft(organizer):
    cohort = open_cohort(organizers=[organizer.organization_roles.get().organization])
    EnrollmentFactory(cohort=cohort)

    with pytest.raises(ValidationError, match="draft"), translation.override("en"):
        cohort_transition(cohort=cohort, to_status=Cohort.Status.DRAFT, by=organizer)

    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.OPEN


def test_an_organizer_cannot_add_a_member_who_withdrew_consent(organizer):
    cohort = open_cohort()
    withdrawn = member(consent_withdrawn_at=timezone.now())

    with pytest.raises(ValidationError):
        enrollment_add(cohort=cohort, member=withdrawn, by=organizer)

    assert not cohort.enrollments.exists()


def test_consent_withdrawn_after_loading_the_member_is_still_seen():
    cohort = open_cohort()
    stale = member()
    Member.objects.filter(pk=stale.pk).update(consent_withdrawn_at=timezone.now())

    with pytest.raises(ValidationError):
        enrollment_register(cohort=cohort, member=stale)

    assert not cohort.enrollments.exists()
