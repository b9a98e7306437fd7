"""QR self check-in and the ticket scan: the rotating code, the window around a session,
who is let in, present or late, and that a mark already given is kept.

Rules are tested with a moved clock by passing ``now`` (every check-in function takes it);
the pages are tested against the real clock with sessions placed around it. Messages are
read in English (the Indonesian catalogue is filled at the end)."""

import datetime as dt
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.checkin_tokens import (
    CheckinTokenError,
    checkin_code_at,
    checkin_short_code,
    checkin_token,
    session_id_from_token,
    short_code_matches,
)
from cohorts.models import Attendance, Cohort, Enrollment, Session
from cohorts.selectors.checkin import enrollment_from_ticket_code, session_for_checkin_token
from cohorts.services.checkin import (
    NOT_ON_THE_ROLL,
    CheckinError,
    attendance_self_check_in,
    attendance_self_check_in_by_code,
    attendance_ticket_check_in,
)
from cohorts.tickets import ticket_short_code, ticket_token_for
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# 09:00 WIB on the factory cohort's first day: where SessionFactory puts a session.
START = dt.datetime(2026, 12, 14, 2, 0, tzinfo=UTC)
MINUTE = dt.timedelta(minutes=1)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _checkin_settings(settings):
    settings.CHECKIN_QR_ROTATION_SECONDS = 120
    settings.CHECKIN_OPENS_MINUTES_BEFORE = 30
    settings.SITE_URL = "https://tot.example.org"


@pytest.fixture
def cohort(organization):
    return CohortFactory(organizers=[organization], status=Cohort.Status.RUNNING)


@pytest.fixture
def session(cohort):
    # 09:00–10:30 WIB; late after 15 minutes (the cohort's default).
    return SessionFactory(cohort=cohort, title="Dialog sosial")


@pytest.fixture
def seat(cohort, participant):
    return EnrollmentFactory(cohort=cohort, member=Member.objects.get(user=participant))


def refusal(call) -> CheckinError:
    with pytest.raises(CheckinError) as raised, translation.override("en"):
        call()
    return raised.value


# --- the rotating code -----------------------------------------------------------------------


def test_the_code_stays_the_same_within_a_period_and_changes_with_the_next():
    first = checkin_code_at(session_id=7, now=START)

    assert checkin_code_at(session_id=7, now=START + 119 * SECOND).token == first.token
    assert checkin_code_at(session_id=7, now=START + 120 * SECOND).token != first.token
    assert first.changes_at == START + 120 * SECOND
    assert first.short_code != checkin_code_at(session_id=7, now=START + 120 * SECOND).short_code


def test_the_rotation_follows_the_setting(settings):
    settings.CHECKIN_QR_ROTATION_SECONDS = 60

    first = checkin_code_at(session_id=7, now=START)

    assert checkin_code_at(session_id=7, now=START + 60 * SECOND).token != first.token
    assert first.changes_at == START + 60 * SECOND


def test_a_code_is_good_in_its_period_and_the_next_then_expires():
    token = checkin_code_at(session_id=7, now=START).token

    assert session_id_from_token(token, now=START) == 7
    assert session_id_from_token(token, now=START + 239 * SECOND) == 7  # the grace period
    with pytest.raises(CheckinTokenError) as expired:
        session_id_from_token(token, now=START + 240 * SECOND)
    assert expired.value.expired is True


def test_a_code_from_the_future_is_not_accepted_either():
    token = checkin_code_at(session_id=7, now=START + 120 * SECOND).token

    with pytest.raises(CheckinTokenError):
        session_id_from_token(token, now=START)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "8" + token[1:],  # another session's id under session 7's signature
        lambda token: token.split(":")[0],  # signature cut off
        lambda token: "garbage",
        lambda token: "",
    ],
    ids=["signature", "session id", "unsigned", "garbage", "empty"],
)
def test_a_forged_or_garbled_code_is_refused_as_not_valid(tamper):
    token = checkin_code_at(session_id=7, now=START).token

    with pytest.raises(CheckinTokenError) as forged:
        session_id_from_token(tamper(token), now=START)

    assert forged.value.expired is False


def test_a_code_signed_with_another_salt_is_refused():
    token = signing.Signer(salt="cohorts.tickets.enrollment").sign("7-1")

    with pytest.raises(CheckinTokenError):
        session_id_from_token(token, now=START)


def test_the_short_code_is_six_digits_good_now_and_one_period_back():
    code = checkin_code_at(session_id=7, now=START).short_code

    assert len(code) == 6
    assert code.isdigit()
    assert short_code_matches(code, session_id=7, now=START + 200 * SECOND)
    assert not short_code_matches(code, session_id=7, now=START + 240 * SECOND)
    assert not short_code_matches(code, session_id=8, now=START)


def test_the_short_code_differs_per_session_and_key(settings):
    bucket = 123
    codes = {checkin_short_code(session_id=n, bucket=bucket) for n in range(1, 50)}
    before = checkin_short_code(session_id=1, bucket=bucket)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert len(codes) > 45  # six digits; an accidental repeat among 49 is possible, not many
    assert checkin_short_code(session_id=1, bucket=bucket) != before


def test_a_session_token_names_the_session_with_its_cohort(session, django_assert_num_queries):
    token = checkin_token(session_id=session.pk, bucket=int(START.timestamp()) // 120)

    with django_assert_num_queries(1):
        found = session_for_checkin_token(token=token, now=START)
        assert found.cohort.title == session.cohort.title


@pytest.mark.parametrize(
    ("moved", "message"),
    [
        (
            300 * SECOND,
            "This check-in code has expired. Scan the code on the trainer's screen again.",
        ),
        (0 * SECOND, "This check-in code is not valid. Scan the code on the trainer's screen."),
    ],
    ids=["expired", "forged"],
)
def test_a_refused_code_says_why(session, moved, message):
    token = checkin_code_at(session_id=session.pk, now=START).token
    if not moved:
        token = token[:-2] + ("xy" if not token.endswith("xy") else "yz")

    refused = refusal(lambda: session_for_checkin_token(token=token, now=START + moved))

    assert refused.messages == [message]


def test_a_code_for_a_deleted_session_is_refused(session):
    token = checkin_code_at(session_id=session.pk, now=START).token
    Session.objects.filter(pk=session.pk).delete()

    refused = refusal(lambda: session_for_checkin_token(token=token, now=START))

    assert refused.messages == ["This session no longer exists."]


# --- self check-in: who, when, present or late -------------------------------------------------


def test_a_confirmed_participant_checks_in_present(session, seat, participant):
    check_in = attendance_self_check_in(session=session, user=participant, now=START + 2 * MINUTE)

    assert check_in.recorded is True
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.session) == (seat, session)
    assert (attendance.status, attendance.method) == ("present", "qr_self")
    assert attendance.recorded_by == participant


@pytest.mark.parametrize(
    ("after_start", "expected"),
    [
        (-30 * MINUTE, "present"),  # as check-in opens
        (15 * MINUTE, "present"),  # exactly at late_after_minutes
        (15 * MINUTE + SECOND, "late"),
        (90 * MINUTE, "late"),  # as the session ends
    ],
    ids=["opening", "exactly at N minutes", "one second later", "at the end"],
)
def test_present_up_to_n_minutes_after_the_start_late_after(
    session, seat, participant, after_start, expected
):
    attendance_self_check_in(session=session, user=participant, now=START + after_start)

    assert Attendance.objects.get().status == expected


def test_late_follows_the_cohorts_own_minutes(cohort, session, seat, participant):
    Cohort.objects.filter(pk=cohort.pk).update(late_after_minutes=5)
    session.refresh_from_db()

    attendance_self_check_in(session=session, user=participant, now=START + 6 * MINUTE)

    assert Attendance.objects.get().status == "late"


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (
            START - 30 * MINUTE - SECOND,
            "Check-in for this session opens at 08:30 WIB on 14-12-2026.",
        ),
        (
            START + 90 * MINUTE + SECOND,
            "Check-in for this session closed when it ended at 10:30 WIB.",
        ),
    ],
    ids=["before the window", "after the session"],
)
def test_outside_the_window_is_refused_and_nothing_written(
    session, seat, participant, moment, message
):
    refused = refusal(
        lambda: attendance_self_check_in(session=session, user=participant, now=moment)
    )

    assert refused.messages == [message]
    assert not Attendance.objects.exists()


def test_the_window_follows_the_setting(settings, session, seat, participant):
    settings.CHECKIN_OPENS_MINUTES_BEFORE = 60

    attendance_self_check_in(session=session, user=participant, now=START - 45 * MINUTE)

    assert Attendance.objects.get().status == "present"


def test_the_window_is_shown_in_the_cohorts_zone(organization, participant):
    cohort = CohortFactory(
        organizers=[organization], status=Cohort.Status.RUNNING, time_zone="Asia/Jayapura"
    )
    session = SessionFactory(cohort=cohort)  # 09:00 WIT
    EnrollmentFactory(cohort=cohort, member=Member.objects.get(user=participant))

    refused = refusal(
        lambda: attendance_self_check_in(
            session=session, user=participant, now=session.starts_at - 2 * dt.timedelta(hours=1)
        )
    )

    assert refused.messages == ["Check-in for this session opens at 08:30 WIT on 14-12-2026."]


def _not_enrolled(cohort, member):
    return None


@pytest.mark.parametrize(
    "make_seat",
    [
        _not_enrolled,
        lambda cohort, member: EnrollmentFactory(
            cohort=cohort, member=member, status=Enrollment.Status.WAITLISTED
        ),
        lambda cohort, member: EnrollmentFactory(
            cohort=cohort, member=member, status=Enrollment.Status.CANCELLED
        ),
        lambda cohort, member: EnrollmentFactory(
            cohort=cohort, member=member, status=Enrollment.Status.PENDING
        ),
        lambda cohort, member: EnrollmentFactory(
            cohort=CohortFactory(status=Cohort.Status.RUNNING), member=member
        ),
    ],
    ids=["not registered", "waitlisted", "cancelled", "pending", "confirmed elsewhere"],
)
def test_someone_not_confirmed_in_the_cohort_is_refused(cohort, session, participant, make_seat):
    make_seat(cohort, Member.objects.get(user=participant))

    refused = refusal(
        lambda: attendance_self_check_in(session=session, user=participant, now=START)
    )

    assert refused.messages == ["You are not a confirmed participant of this training."]
    assert refused.code == NOT_ON_THE_ROLL
    assert not Attendance.objects.exists()


def test_a_participant_checks_in_only_themself(cohort, session, seat, participant):
    other = EnrollmentFactory(cohort=cohort)

    attendance_self_check_in(session=session, user=participant, now=START)

    assert list(Attendance.objects.values_list("enrollment", flat=True)) == [seat.pk]
    assert not other.attendances.exists()


def test_a_cancelled_session_is_refused(session, seat, participant):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    session.refresh_from_db()

    refused = refusal(
        lambda: attendance_self_check_in(session=session, user=participant, now=START)
    )

    assert refused.messages == ["This session was cancelled; it has no attendance."]
    assert not Attendance.objects.exists()


def test_a_completed_training_is_refused(cohort, session, seat, participant):
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)
    session.refresh_from_db()

    refused = refusal(
        lambda: attendance_self_check_in(session=session, user=participant, now=START)
    )

    assert refused.messages == ["The training is “Completed”: attendance can no longer be changed."]


@pytest.mark.parametrize("given", ["absent", "excused", "late"])
def test_a_mark_the_trainer_gave_is_kept(session, seat, participant, trainer, given):
    Attendance.objects.create(
        enrollment=seat, session=session, status=given, method="roll_call", recorded_by=trainer
    )

    check_in = attendance_self_check_in(session=session, user=participant, now=START)

    assert check_in.recorded is False
    assert check_in.attendance.status == given
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.method, attendance.recorded_by) == (
        given,
        "roll_call",
        trainer,
    )


def test_checking_in_twice_keeps_the_first(session, seat, participant):
    attendance_self_check_in(session=session, user=participant, now=START)

    again = attendance_self_check_in(session=session, user=participant, now=START + 20 * MINUTE)

    assert again.recorded is False
    assert Attendance.objects.get().status == "present"


# --- the six digits --------------------------------------------------------------------------


def test_the_typed_code_checks_the_participant_in(session, seat, participant):
    code = checkin_code_at(session_id=session.pk, now=START).short_code

    check_in = attendance_self_check_in_by_code(
        code=f"{code[:3]} {code[3:]}", user=participant, now=START + 130 * SECOND
    )

    assert check_in.attendance.session == session
    assert (check_in.attendance.method, check_in.attendance.enrollment) == ("qr_self", seat)


def test_an_old_or_wrong_typed_code_is_refused(session, seat, participant):
    code = checkin_code_at(session_id=session.pk, now=START).short_code
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    message = "This code does not match your session. Check the six digits on the trainer's screen."

    old = refusal(
        lambda: attendance_self_check_in_by_code(
            code=code, user=participant, now=START + 240 * SECOND
        )
    )
    mistyped = refusal(
        lambda: attendance_self_check_in_by_code(code=wrong, user=participant, now=START)
    )

    assert old.messages == mistyped.messages == [message]
    assert not Attendance.objects.exists()


def test_the_typed_code_of_a_session_the_member_is_not_in_is_refused(
    organization, session, seat, participant
):
    elsewhere = SessionFactory(cohort=CohortFactory(status=Cohort.Status.RUNNING))
    code = checkin_code_at(session_id=elsewhere.pk, now=START).short_code

    refused = refusal(
        lambda: attendance_self_check_in_by_code(code=code, user=participant, now=START)
    )

    assert "does not match" in refused.messages[0]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "moment", [START - 31 * MINUTE, START + 91 * MINUTE], ids=["too early", "too late"]
)
def test_the_typed_code_outside_the_window_finds_no_session(session, seat, participant, moment):
    code = checkin_code_at(session_id=session.pk, now=moment).short_code

    refused = refusal(
        lambda: attendance_self_check_in_by_code(code=code, user=participant, now=moment)
    )

    assert refused.messages == ["You have no session open for check-in right now."]


def test_the_typed_code_skips_a_cancelled_session(session, seat, participant):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    code = checkin_code_at(session_id=session.pk, now=START).short_code

    refused = refusal(
        lambda: attendance_self_check_in_by_code(code=code, user=participant, now=START)
    )

    assert refused.messages == ["You have no session open for check-in right now."]


def test_the_typed_code_picks_the_right_one_of_two_open_sessions(
    cohort, session, seat, participant
):
    parallel = SessionFactory(cohort=cohort, title="Negosiasi")
    code = checkin_code_at(session_id=parallel.pk, now=START).short_code

    check_in = attendance_self_check_in_by_code(code=code, user=participant, now=START)

    assert check_in.attendance.session == parallel


# --- the ticket scan -------------------------------------------------------------------------


def test_a_confirmed_ticket_checks_the_person_in(session, seat, trainer):
    enrollment = enrollment_from_ticket_code(ticket_token_for(seat))

    check_in = attendance_ticket_check_in(
        session=session, enrollment=enrollment, by=trainer, now=START + 16 * MINUTE
    )

    assert check_in.recorded is True
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.status) == (seat, "late")
    assert (attendance.method, attendance.recorded_by) == ("ticket_scan", trainer)


@pytest.mark.parametrize(
    "typed",
    [
        lambda seat: ticket_short_code(seat),
        lambda seat: f"  {ticket_short_code(seat).lower()} ",
        lambda seat: ticket_short_code(seat).replace("-", " - "),
        lambda seat: ticket_token_for(seat),
    ],
    ids=["short code", "lower case with spaces", "spaced dash", "scanned token"],
)
def test_a_ticket_code_as_printed_or_scanned_names_its_enrollment(seat, typed):
    assert enrollment_from_ticket_code(typed(seat)) == seat


@pytest.mark.parametrize(
    "garbled",
    [
        lambda seat: "",
        lambda seat: "hello",
        lambda seat: f"{seat.pk}-AAAAAA" if not ticket_short_code(seat).endswith("AAAAAA") else "",
        lambda seat: f"{seat.pk + 1000}-{ticket_short_code(seat).split('-')[1]}",
        lambda seat: ticket_token_for(seat)[:-3] + "abc",
        lambda seat: "https://tot.example.org/check-in/1-2:abc/",
    ],
    ids=["empty", "word", "wrong letters", "other id", "tampered token", "session link"],
)
def test_a_garbled_ticket_code_names_nobody(seat, garbled):
    assert enrollment_from_ticket_code(garbled(seat)) is None


def test_a_ticket_for_another_cohort_is_refused(session, trainer):
    elsewhere = EnrollmentFactory(
        cohort=CohortFactory(status=Cohort.Status.RUNNING, title="TOT Negosiasi"),
        member__full_name="Yohanes Wenda",
    )

    refused = refusal(
        lambda: attendance_ticket_check_in(
            session=session, enrollment=elsewhere, by=trainer, now=START
        )
    )

    assert refused.messages == ["Yohanes Wenda's ticket is for another training: TOT Negosiasi."]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "status",
    [Enrollment.Status.CANCELLED, Enrollment.Status.WAITLISTED, Enrollment.Status.REJECTED],
)
def test_a_ticket_whose_seat_is_not_confirmed_is_refused(cohort, session, trainer, status):
    seat = EnrollmentFactory(cohort=cohort, status=status, member__full_name="Siti Nurhaliza")
    with translation.override("en"):
        label = str(Enrollment.Status(status).label)

    refused = refusal(
        lambda: attendance_ticket_check_in(session=session, enrollment=seat, by=trainer, now=START)
    )

    assert refused.messages == [f"Siti Nurhaliza's registration is not confirmed ({label})."]
    assert not Attendance.objects.exists()


def test_a_scanned_ticket_keeps_an_earlier_mark(session, seat, trainer):
    Attendance.objects.create(enrollment=seat, session=session, status="excused", method="paper")

    check_in = attendance_ticket_check_in(session=session, enrollment=seat, by=trainer, now=START)

    assert check_in.recorded is False
    assert Attendance.objects.get().status == "excused"


def test_a_ticket_outside_the_window_is_refused(session, seat, trainer):
    refused = refusal(
        lambda: attendance_ticket_check_in(
            session=session, enrollment=seat, by=trainer, now=START + 2 * dt.timedelta(hours=1)
        )
    )

    assert "closed" in refused.messages[0]
    assert not Attendance.objects.exists()


# --- the pages, on the real clock ------------------------------------------------------------


@pytest.fixture
def now_cohort(organization):
    return CohortFactory(
        organizers=[organization],
        status=Cohort.Status.RUNNING,
        starts_on=timezone.localdate(),
        time_zone="Asia/Makassar",
    )


@pytest.fixture
def trainer_member(trainer, organization):
    return MemberFactory(user=trainer, organization=organization)


@pytest.fixture
def now_session(now_cohort, trainer_member):
    """Started five minutes ago, ends in an hour and a half."""
    starts_at = timezone.now() - 5 * MINUTE
    return SessionFactory(
        cohort=now_cohort,
        trainers=[trainer_member],
        title="Strategi pengorganisasian",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=95),
    )


@pytest.fixture
def now_seat(now_cohort, participant):
    member = Member.objects.get(user=participant)
    Member.objects.filter(pk=member.pk).update(full_name="Siti Nurhaliza")
    return EnrollmentFactory(cohort=now_cohort, member=member)


def en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def link(session: Session, moved: dt.timedelta = dt.timedelta(0)) -> str:
    token = checkin_code_at(session_id=session.pk, now=timezone.now() + moved).token
    return en("cohorts:checkin", token=token)


def test_anonymous_scanning_the_code_logs_in_then_comes_back(client, now_session):
    url = link(now_session)

    response = client.get(url)

    assert response.status_code == 302
    login, _, query = response["Location"].partition("?")
    assert login == reverse("account_login")
    assert parse_qs(query)["next"] == [url]


def test_opening_the_link_shows_the_session_and_a_button_and_writes_nothing(
    client, participant, now_session, now_seat
):
    client.force_login(participant)

    response = client.get(link(now_session))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Strategi pengorganisasian" in page
    assert "Siti Nurhaliza" in page
    assert 'id="checkin-confirm"' in page
    assert "WITA" in page
    assert not Attendance.objects.exists()


def test_the_button_checks_the_participant_in(client, participant, now_session, now_seat):
    client.force_login(participant)

    response = client.post(link(now_session))

    assert response.status_code == 200
    assert "You are checked in: Present." in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.method) == (now_seat, "qr_self")


def test_a_link_from_the_previous_period_still_works(
    settings, client, participant, now_session, now_seat
):
    # Long periods, so that the real clock does not cross into the next one mid-test.
    settings.CHECKIN_QR_ROTATION_SECONDS = 3600
    client.force_login(participant)

    response = client.post(link(now_session, moved=-3600 * SECOND))

    assert response.status_code == 200
    assert Attendance.objects.filter(enrollment=now_seat).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_refused_with_a_message(
    client, participant, now_session, now_seat, method
):
    client.force_login(participant)

    response = getattr(client, method)(link(now_session, moved=-360 * SECOND))

    assert response.status_code == 400
    assert "This check-in code has expired." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_forged_link_is_refused_with_a_message(client, participant, now_session, now_seat):
    client.force_login(participant)
    forged = en("cohorts:checkin", token=f"{now_session.pk}-1:forgedsignature")

    response = client.post(forged)

    assert response.status_code == 400
    assert "This check-in code is not valid." in response.content.decode()
    assert not Attendance.objects.exists()


def test_someone_not_on_the_roll_is_refused_with_403(client, trainer, now_session, now_seat):
    client.force_login(trainer)

    response = client.post(link(now_session))

    assert response.status_code == 403
    assert "You are not a confirmed participant" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_link_says_so_when_the_trainer_already_marked_the_participant(
    client, participant, trainer, now_session, now_seat
):
    Attendance.objects.create(
        enrollment=now_seat, session=now_session, status="absent", method="roll_call"
    )
    client.force_login(participant)

    page = client.get(link(now_session)).content.decode()
    posted = client.post(link(now_session)).content.decode()

    assert "You are already marked Absent for this session." in page
    assert 'id="checkin-confirm"' not in page
    assert "You were already marked Absent for this session; that mark stays." in posted
    assert Attendance.objects.get().status == "absent"


def test_check_in_attempts_are_rate_limited(settings, client, participant, now_session, now_seat):
    settings.CHECKIN_RATE_LIMITS = "2/m/user"
    client.force_login(participant)
    forged = en("cohorts:checkin", token="1-1:nope")

    answers = [client.post(forged).status_code for _ in range(2)]
    limited = client.post(link(now_session))
    typed = client.post(en("cohorts:checkin_typed"), {"code": "123456"})

    assert answers == [400, 400]
    assert limited.status_code == 429
    assert "Too many check-in attempts" in limited.content.decode()
    assert typed.status_code == 429
    assert not Attendance.objects.exists()


def test_the_typed_code_page_checks_in(client, participant, now_session, now_seat):
    client.force_login(participant)
    code = checkin_code_at(session_id=now_session.pk, now=timezone.now()).short_code

    form = client.get(en("cohorts:checkin_typed"))
    response = client.post(en("cohorts:checkin_typed"), {"code": code})

    assert 'inputmode="numeric"' in form.content.decode()
    assert response.status_code == 200
    assert "You are checked in: Present." in response.content.decode()
    assert Attendance.objects.get().enrollment == now_seat


def test_the_typed_code_page_refuses_a_wrong_code_and_writes_nothing(
    client, participant, now_session, now_seat
):
    client.force_login(participant)
    right = checkin_code_at(session_id=now_session.pk, now=timezone.now()).short_code
    wrong = f"{(int(right) + 500_000) % 10**6:06d}"

    response = client.post(en("cohorts:checkin_typed"), {"code": wrong})
    empty = client.post(en("cohorts:checkin_typed"), {"code": ""})

    assert response.status_code == 400
    assert "This code does not match your session." in response.content.decode()
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    assert not Attendance.objects.exists()


# --- the trainer's screen --------------------------------------------------------------------


def test_the_screen_shows_the_qr_the_digits_and_how_many_are_here(
    client, trainer, now_cohort, now_session, now_seat
):
    late = EnrollmentFactory(cohort=now_cohort)
    Attendance.objects.create(enrollment=late, session=now_session, status="late", method="paper")
    EnrollmentFactory(cohort=now_cohort)
    client.force_login(trainer)

    response = client.get(en("cohorts:checkin_code", pk=now_session.pk))

    page = response.content.decode()
    screen = response.context["screen"]
    assert screen.state == "open"
    assert screen.url == f"https://tot.example.org/check-in/{screen.code.token}/"
    assert session_id_from_token(screen.code.token, now=timezone.now()) == now_session.pk
    assert 'class="checkin-qr"><path' in page
    short = screen.code.short_code
    assert f"{short[:3]} {short[3:]}" in page
    assert "tot.example.org/check-in/" in page
    assert (screen.checked_in, screen.on_the_roll) == (1, 3)
    assert '<meta http-equiv="refresh"' in page
    assert "js/checkin-code" in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_screens_fragment_is_only_the_changing_part(client, trainer, now_session):
    client.force_login(trainer)

    response = client.get(en("cohorts:checkin_code", pk=now_session.pk) + "?part=code")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div class="checkin-screen"')
    assert "<html" not in page
    assert 'class="checkin-qr"><path' in page


def test_the_screen_before_the_window_shows_when_it_opens(
    client, trainer, now_cohort, trainer_member
):
    starts_at = timezone.now() + dt.timedelta(hours=2)
    later = SessionFactory(
        cohort=now_cohort,
        trainers=[trainer_member],
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
    )
    client.force_login(trainer)

    response = client.get(en("cohorts:checkin_code", pk=later.pk))

    screen = response.context["screen"]
    assert screen.state == "before"
    assert screen.code is None
    assert 'class="checkin-qr"' not in response.content.decode()
    opens = (starts_at - 30 * MINUTE).astimezone(ZoneInfo("Asia/Makassar"))
    assert f"Check-in opens at {opens:%H:%M} WITA" in response.content.decode()


def test_the_screen_of_a_cancelled_session_shows_no_code(client, trainer, now_session):
    Session.objects.filter(pk=now_session.pk).update(status=Session.Status.CANCELLED)
    client.force_login(trainer)

    response = client.get(en("cohorts:checkin_code", pk=now_session.pk))

    assert response.context["screen"].state == "cancelled"
    assert 'class="checkin-qr"' not in response.content.decode()
    assert "http-equiv" not in response.content.decode()


def _bulk_roll(cohort: Cohort, session: Session, count: int) -> None:
    members = Member.objects.bulk_create(
        MemberFactory.build(organization=cohort.organizers.first()) for _ in range(count)
    )
    seats = Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=member, status=Enrollment.Status.CONFIRMED)
        for member in members
    )
    Attendance.objects.bulk_create(
        Attendance(enrollment=seat, session=session, status="present", method="qr_self")
        for seat in seats[::2]
    )


@pytest.mark.parametrize("count", [10, 200])
def test_the_screen_costs_the_same_queries_for_10_or_200(
    client, trainer, now_cohort, now_session, count, django_assert_max_num_queries
):
    _bulk_roll(now_cohort, now_session, count)
    client.force_login(trainer)

    # login session, user, session + cohort, is-trainer check, the two counts, and the
    # navbar's two (roles in reach, trains any)
    with django_assert_max_num_queries(8):
        response = client.get(en("cohorts:checkin_code", pk=now_session.pk))

    assert response.context["screen"].checked_in == count // 2
    assert response.context["screen"].on_the_roll == count


@pytest.mark.parametrize("count", [10, 200])
def test_the_scanner_page_costs_the_same_queries_for_10_or_200(
    client, trainer, now_cohort, now_session, count, django_assert_max_num_queries
):
    _bulk_roll(now_cohort, now_session, count)
    client.force_login(trainer)

    with django_assert_max_num_queries(8):
        response = client.get(en("cohorts:checkin_scan", pk=now_session.pk))

    assert response.context["screen"].checked_in == count // 2


# --- the trainer's ticket scanner ------------------------------------------------------------


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def scan(client, session, code, *, as_json=True):
    extra = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    return client.post(en("cohorts:checkin_scan_check", pk=session.pk), {"code": code}, **extra)


def test_the_scanner_page_has_the_camera_the_vendored_decoder_and_a_typed_form(
    client, trainer, now_session
):
    client.force_login(trainer)

    page = client.get(en("cohorts:checkin_scan", pk=now_session.pk)).content.decode()

    assert "vendor/jsqr/jsQR" in page
    assert "js/ticket-scan" in page
    assert '<video id="scan-video"' in page
    assert en("cohorts:checkin_scan_check", pk=now_session.pk) in page
    assert 'name="code"' in page


def test_a_scanned_ticket_answers_with_the_name_and_marks_present(
    client, trainer, now_session, now_seat
):
    client.force_login(trainer)

    response = scan(client, now_session, ticket_token_for(now_seat))

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Siti Nurhaliza: Present.",
        "name": "Siti Nurhaliza",
        "status": "present",
        "recorded": True,
    }
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.method, attendance.recorded_by) == (
        now_seat,
        "ticket_scan",
        trainer,
    )


def test_scanning_the_same_ticket_again_keeps_the_mark(client, trainer, now_session, now_seat):
    client.force_login(trainer)
    scan(client, now_session, ticket_token_for(now_seat))

    again = scan(client, now_session, ticket_short_code(now_seat))

    assert again.json()["recorded"] is False
    assert again.json()["message"] == (
        "Siti Nurhaliza was already marked Present; the mark was kept."
    )
    assert Attendance.objects.count() == 1


def test_a_ticket_of_another_cohort_is_refused_by_the_scanner(client, trainer, now_session):
    elsewhere = EnrollmentFactory(
        cohort=CohortFactory(status=Cohort.Status.RUNNING), member__full_name="Andi Saputra"
    )
    client.force_login(trainer)

    response = scan(client, now_session, ticket_token_for(elsewhere))

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert response.json()["name"] == "Andi Saputra"
    assert "ticket is for another training" in response.json()["message"]
    assert not Attendance.objects.exists()


def test_a_cancelled_registrations_ticket_is_refused_by_the_scanner(
    client, trainer, now_session, now_seat
):
    Enrollment.objects.filter(pk=now_seat.pk).update(status=Enrollment.Status.CANCELLED)
    client.force_login(trainer)

    response = scan(client, now_session, ticket_token_for(now_seat))

    assert response.status_code == 400
    assert response.json()["message"] == (
        "Siti Nurhaliza's registration is not confirmed (Cancelled)."
    )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("code", ["", "not a ticket", "1-ABCDEF", "x" * 500])
def test_a_garbled_ticket_is_refused_by_the_scanner(client, trainer, now_session, code):
    client.force_login(trainer)

    response = scan(client, now_session, code)

    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": "This ticket code is not valid."}
    assert not Attendance.objects.exists()


def test_without_the_script_a_typed_ticket_comes_back_as_a_message(
    client, trainer, now_session, now_seat
):
    client.force_login(trainer)

    response = scan(client, now_session, ticket_short_code(now_seat), as_json=False)
    page = client.get(response["Location"]).content.decode()
    refused = scan(client, now_session, "nonsense", as_json=False)

    assert response.status_code == 302
    assert response["Location"] == en("cohorts:checkin_scan", pk=now_session.pk)
    assert "Siti Nurhaliza: Present." in page
    assert refused.status_code == 302
    assert texts(refused) == ["This ticket code is not valid."]
    assert Attendance.objects.get().method == "ticket_scan"


@pytest.mark.parametrize("who", ["participant", "outsider"])
def test_only_takers_reach_the_scanner_and_the_screen(client, request, who, now_session, now_seat):
    user = request.getfixturevalue("participant") if who == "participant" else UserFactory()
    client.force_login(user)

    assert client.get(en("cohorts:checkin_code", pk=now_session.pk)).status_code == 404
    assert client.get(en("cohorts:checkin_scan", pk=now_session.pk)).status_code == 404
    assert scan(client, now_session, ticket_token_for(now_seat)).status_code == 404
    assert not Attendance.objects.exists()


def test_the_roll_call_links_to_the_screen_and_the_scanner(client, trainer, now_session):
    client.force_login(trainer)

    page = client.get(en("cohorts:roll_call", pk=now_session.pk)).content.decode()

    assert en("cohorts:checkin_code", pk=now_session.pk) in page
    assert en("cohorts:checkin_scan", pk=now_session.pk) in page
