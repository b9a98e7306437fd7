import pytest
from django.core.exceptions import ValidationError

from cohorts.models import Attendance, Cohort, Enrollment, Session
from cohorts.permissions import can_take_attendance
from cohorts.services.attendance import attendance_mark, attendance_mark_all_present
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Attendance.Status


@pytest.fixture
def session():
    return SessionFactory(cohort=CohortFactory(status=Cohort.Status.RUNNING))


def test_a_second_tap_changes_the_one_record(session, organizer):
    enrollment = EnrollmentFactory(cohort=session.cohort)

    attendance_mark(session=session, enrollment=enrollment, status=Status.PRESENT, by=organizer)
    attendance_mark(session=session, enrollment=enrollment, status=Status.LATE, by=organizer)

    record = Attendance.objects.get()
    assert (record.status, record.method, record.recorded_by) == ("late", "roll_call", organizer)


@pytest.mark.parametrize(
    "enrollment_status",
    [
        Enrollment.Status.PENDING,
        Enrollment.Status.WAITLISTED,
        Enrollment.Status.CANCELLED,
        Enrollment.Status.REJECTED,
    ],
)
def test_only_confirmed_participants_are_on_the_roll(session, enrollment_status):
    enrollment = EnrollmentFactory(cohort=session.cohort, status=enrollment_status)

    with pytest.raises(ValidationError):
        attendance_mark(session=session, enrollment=enrollment, status=Status.PRESENT, by=None)

    assert not Attendance.objects.exists()


def test_a_participant_of_another_cohort_cannot_be_marked(session):
    elsewhere = EnrollmentFactory(cohort=CohortFactory(status=Cohort.Status.RUNNING))

    with pytest.raises(ValidationError):
        attendance_mark(session=session, enrollment=elsewhere, status=Status.PRESENT, by=None)

    assert not Attendance.objects.exists()


def test_an_unknown_status_is_refused(session):
    enrollment = EnrollmentFactory(cohort=session.cohort)

    with pytest.raises(ValidationError):
        attendance_mark(session=session, enrollment=enrollment, status="sleeping", by=None)

    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("session_status", "cohort_status"),
    [
        (Session.Status.CANCELLED, Cohort.Status.RUNNING),
        (Session.Status.SCHEDULED, Cohort.Status.COMPLETED),
        (Session.Status.SCHEDULED, Cohort.Status.CANCELLED),
    ],
)
def test_no_attendance_for_a_cancelled_session_or_a_finished_cohort(session_status, cohort_status):
    session = SessionFactory(cohort=CohortFactory(status=cohort_status), status=session_status)
    enrollment = EnrollmentFactory(cohort=session.cohort)

    with pytest.raises(ValidationError):
        attendance_mark(session=session, enrollment=enrollment, status=Status.PRESENT, by=None)
    with pytest.raises(ValidationError):
        attendance_mark_all_present(session=session, by=None)

    assert not Attendance.objects.exists()


def test_mark_all_present_keeps_the_marks_already_given(session, organizer):
    absent, *others = EnrollmentFactory.create_batch(3, cohort=session.cohort)
    EnrollmentFactory(cohort=session.cohort, status=Enrollment.Status.WAITLISTED)
    attendance_mark(session=session, enrollment=absent, status=Status.ABSENT, by=organizer)

    marked = attendance_mark_all_present(session=session, by=organizer)

    assert marked == 2
    assert dict(Attendance.objects.values_list("enrollment_id", "status")) == {
        absent.pk: "absent",
        others[0].pk: "present",
        others[1].pk: "present",
    }


def test_who_may_take_attendance(session, organizer, organization):
    trainer_member = MemberFactory(user=UserFactory())
    session.trainers.set([trainer_member])
    session.cohort.organizers.set([organization])
    other_trainer = MemberFactory(user=UserFactory())
    SessionFactory(cohort=session.cohort, trainers=[other_trainer])
    outsider = UserFactory()

    assert can_take_attendance(trainer_member.user, session)
    assert can_take_attendance(organizer, session)
    assert not can_take_attendance(other_trainer.user, session)
    assert not can_take_attendance(outsider, session)


def test_a_note_is_kept_unless_a_new_one_is_given(session):
    seat = EnrollmentFactory(cohort=session.cohort)
    attendance_mark(session=session, enrollment=seat, status=Status.ABSENT, by=None, note="sakit")

    attendance_mark(session=session, enrollment=seat, status=Status.EXCUSED, by=None)
    kept = Attendance.objects.get().note
    attendance_mark(session=session, enrollment=seat, status=Status.EXCUSED, by=None, note="")

    assert (kept, Attendance.objects.get().note) == ("sakit", "")


def test_a_completed_participant_is_still_on_the_roll(session):
    seat = EnrollmentFactory(cohort=session.cohort, status=Enrollment.Status.COMPLETED)

    attendance_mark(session=session, enrollment=seat, status=Status.PRESENT, by=None)

    assert Attendance.objects.filter(enrollment=seat).exists()
