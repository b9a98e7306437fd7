"""Completion: the rule on its edges (threshold, excused, cancelled and unreported sessions,
late, post-test, nothing held), overrides that survive a recompute, the history it
writes, and the organizer's completion page (who reaches it, what it says, its queries).

Messages are read under English (the Indonesian catalogue is filled at the end)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import (
    AssessmentAttempt,
    Attendance,
    Certificate,
    Cohort,
    CompletionReason,
    Enrollment,
    EnrollmentChange,
    Session,
)
from cohorts.services.cohorts import cohort_transition
from cohorts.services.completion import completion_apply, completion_override
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import OrganizationFactory, OrganizationRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
A = Attendance.Status
HELD, SCHEDULED, CANCELLED = Session.Status.HELD, Session.Status.SCHEDULED, Session.Status.CANCELLED


def running_cohort(organization, **fields) -> Cohort:
    """A running cohort whose three days are over, so it may be completed today."""
    fields.setdefault("starts_on", timezone.localdate() - dt.timedelta(days=5))
    return CohortFactory(organizers=[organization], status=Cohort.Status.RUNNING, **fields)


def sessions(cohort: Cohort, count: int, status: str = HELD) -> list[Session]:
    first = timezone.now() - dt.timedelta(days=4)
    return [
        SessionFactory(
            cohort=cohort,
            status=status,
            starts_at=first + dt.timedelta(hours=2 * number),
            ends_at=first + dt.timedelta(hours=2 * number, minutes=90),
        )
        for number in range(count)
    ]


def marks(enrollment: Enrollment, held: list[Session], statuses: list[str]) -> None:
    Attendance.objects.bulk_create(
        Attendance(enrollment=enrollment, session=session, status=status, method="roll_call")
        for session, status in zip(held, statuses, strict=False)
    )


def complete(cohort: Cohort, by) -> Cohort:
    return cohort_transition(cohort=cohort, to_status=Cohort.Status.COMPLETED, by=by)


def fresh(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_related("certificate").get(pk=enrollment.pk)


@pytest.fixture
def cohort(organization):
    return running_cohort(organization, min_attendance_percent=80)


# --- the rule on its edges ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "held", "minimum", "completes", "percent"),
    [
        (4, 5, 80, True, "80.0"),  # exactly at the threshold
        (4, 5, 81, False, "80.0"),  # just below it
        (3, 4, 75, True, "75.0"),
        (3, 4, 76, False, "75.0"),
        (2, 3, 67, False, "66.6"),  # 66.67 < 67, shown rounded down
        (2, 3, 66, True, "66.6"),
        (5, 5, 100, True, "100.0"),
    ],
)
def test_the_threshold_is_compared_exactly(
    organization, organizer, attended, held, minimum, completes, percent
):
    cohort = running_cohort(organization, min_attendance_percent=minimum)
    person = EnrollmentFactory(cohort=cohort)
    marks(person, sessions(cohort, held), [A.PRESENT] * attended + [A.ABSENT] * held)

    complete(cohort, organizer)

    person = fresh(person)
    assert person.status == (Status.COMPLETED if completes else Status.INCOMPLETE)
    assert person.attendance_percent == Decimal(percent)
    expected = CompletionReason.MET_RULE if completes else CompletionReason.LOW_ATTENDANCE
    assert person.completion_reason == expected
    assert person.completion_decided_at is not None
    assert Certificate.objects.filter(enrollment=person).exists() is completes


def test_excused_sessions_leave_the_denominator(cohort, organizer):
    held = sessions(cohort, 5)
    all_there = EnrollmentFactory(cohort=cohort)
    one_short = EnrollmentFactory(cohort=cohort)
    marks(all_there, held, [A.PRESENT] * 4 + [A.EXCUSED])  # 4 of 4
    marks(one_short, held, [A.PRESENT] * 3 + [A.EXCUSED, A.ABSENT])  # 3 of 4, not 3 of 5

    complete(cohort, organizer)

    assert (fresh(all_there).status, fresh(all_there).attendance_percent) == (
        Status.COMPLETED,
        Decimal("100.0"),
    )
    assert (fresh(one_short).status, fresh(one_short).attendance_percent) == (
        Status.INCOMPLETE,
        Decimal("75.0"),
    )


def test_cancelled_and_still_scheduled_sessions_do_not_count(cohort, organizer):
    held = sessions(cohort, 4)
    cancelled = sessions(cohort, 1, CANCELLED)
    unreported = sessions(cohort, 2, SCHEDULED)
    person = EnrollmentFactory(cohort=cohort)
    marks(person, held, [A.PRESENT] * 4)
    marks(person, cancelled + unreported, [A.ABSENT] * 3)

    complete(cohort, organizer)

    person = fresh(person)
    assert (person.status, person.attendance_percent) == (Status.COMPLETED, Decimal("100.0"))
    assert person.certificate.hours == Decimal("6.0")  # the four held sessions of 90 minutes


def test_late_counts_as_attended(cohort, organizer):
    person = EnrollmentFactory(cohort=cohort)
    marks(person, sessions(cohort, 5), [A.LATE] * 3 + [A.PRESENT, A.ABSENT])

    complete(cohort, organizer)

    assert fresh(person).status == Status.COMPLETED
    assert fresh(person).attendance_percent == Decimal("80.0")


def test_no_mark_at_a_held_session_counts_as_absent(cohort, organizer):
    person = EnrollmentFactory(cohort=cohort)
    marks(person, sessions(cohort, 5), [A.PRESENT] * 3)

    complete(cohort, organizer)

    assert fresh(person).status == Status.INCOMPLETE
    assert fresh(person).attendance_percent == Decimal("60.0")


def _post_attempt(enrollment: Enrollment, number: int, *, passed: bool) -> None:
    AssessmentAttempt.objects.create(
        enrollment=enrollment,
        kind=AssessmentAttempt.Kind.POST,
        number=number,
        score_percent=Decimal("80.0") if passed else Decimal("40.0"),
        passed=passed,
    )


def test_a_required_post_test_not_passed_means_incomplete_with_that_reason(
    client, organization, organizer
):
    cohort = running_cohort(organization, post_test_required=True)
    held = sessions(cohort, 2)
    never_took, failed, passed_later = (EnrollmentFactory(cohort=cohort) for _ in range(3))
    for person in (never_took, failed, passed_later):
        marks(person, held, [A.PRESENT] * 2)
    _post_attempt(failed, 1, passed=False)
    AssessmentAttempt.objects.create(
        enrollment=failed, kind="pre", number=1, score_percent=Decimal("90.0"), passed=True
    )
    _post_attempt(passed_later, 1, passed=False)
    _post_attempt(passed_later, 2, passed=True)

    complete(cohort, organizer)

    for person in (never_took, failed):
        person = fresh(person)
        assert (person.status, person.completion_reason) == (
            Status.INCOMPLETE,
            CompletionReason.POST_TEST,
        )
        assert person.attendance_percent == Decimal("100.0")
    assert fresh(passed_later).status == Status.COMPLETED
    change = EnrollmentChange.objects.get(enrollment=failed, to_status=Status.INCOMPLETE)
    client.force_login(organizer)
    page = client.get(_url("completion", cohort)).content.decode()
    assert "Attendance 100% is enough, but the required post-test was not passed" in page
    assert change.changed_by == organizer


def test_the_post_test_is_not_needed_when_the_cohort_does_not_require_it(cohort, organizer):
    person = EnrollmentFactory(cohort=cohort)
    marks(person, sessions(cohort, 1), [A.PRESENT])
    _post_attempt(person, 1, passed=False)

    complete(cohort, organizer)

    assert fresh(person).status == Status.COMPLETED


@pytest.mark.parametrize("minimum", [0, 80])
def test_nothing_held_or_everything_excused_is_zero_and_not_completed(
    organization, organizer, minimum
):
    cohort = running_cohort(organization, min_attendance_percent=minimum)
    sessions(cohort, 3, SCHEDULED)
    nothing_held = EnrollmentFactory(cohort=cohort)
    other = running_cohort(organization, min_attendance_percent=minimum)
    all_excused = EnrollmentFactory(cohort=other)
    marks(all_excused, sessions(other, 2), [A.EXCUSED] * 2)

    complete(cohort, organizer)
    complete(other, organizer)

    for person in (fresh(nothing_held), fresh(all_excused)):
        assert (person.status, person.attendance_percent) == (Status.INCOMPLETE, Decimal("0.0"))
        assert person.completion_reason == CompletionReason.LOW_ATTENDANCE


def test_only_confirmed_participants_are_decided(cohort, organizer):
    marks(EnrollmentFactory(cohort=cohort), sessions(cohort, 1), [A.PRESENT])
    others = [
        EnrollmentFactory(cohort=cohort, status=status)
        for status in (Status.PENDING, Status.WAITLISTED, Status.CANCELLED, Status.REJECTED)
    ]

    outcome = complete(cohort, organizer)

    assert outcome.status == Cohort.Status.COMPLETED
    assert [fresh(e).status for e in others] == [e.status for e in others]
    assert all(fresh(e).completion_decided_at is None for e in others)
    assert Certificate.objects.count() == 1


# --- history, recompute, overrides -----------------------------------------------------------


def test_each_decision_is_in_the_history_with_who_and_why(cohort, organizer):
    held = sessions(cohort, 4)
    done, short = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    marks(done, held, [A.PRESENT] * 4)
    marks(short, held, [A.PRESENT] * 3 + [A.ABSENT])

    complete(cohort, organizer)

    done_change = EnrollmentChange.objects.get(enrollment=done)
    short_change = EnrollmentChange.objects.get(enrollment=short)
    assert (done_change.from_status, done_change.to_status) == (Status.CONFIRMED, Status.COMPLETED)
    assert (short_change.from_status, short_change.to_status) == (
        Status.CONFIRMED,
        Status.INCOMPLETE,
    )
    assert {done_change.changed_by, short_change.changed_by} == {organizer}
    assert "75" in short_change.note
    assert "80" in short_change.note

    # A recompute that changes nothing writes no history.
    completion_apply(cohort=cohort, by=organizer)
    assert EnrollmentChange.objects.count() == 2


def test_a_recompute_follows_corrected_attendance_and_certificates_follow(cohort, organizer):
    held = sessions(cohort, 4)
    late_report = sessions(cohort, 1, SCHEDULED)[0]
    climbs, drops = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    marks(climbs, [*held, late_report], [A.PRESENT] * 3 + [A.ABSENT, A.PRESENT])
    marks(drops, [*held, late_report], [A.PRESENT] * 4 + [A.ABSENT])
    complete(cohort, organizer)
    assert (fresh(climbs).status, fresh(drops).status) == (Status.INCOMPLETE, Status.COMPLETED)
    certificate = fresh(drops).certificate

    # The late report is submitted: 4 of 5 for one, 4 of 5 for the other — and one more
    # absence for the second makes 3 of 5.
    Session.objects.filter(pk=late_report.pk).update(status=HELD)
    Attendance.objects.filter(enrollment=drops, session=held[0]).update(status=A.ABSENT)
    outcome = completion_apply(cohort=cohort, by=organizer)

    assert (fresh(climbs).status, fresh(drops).status) == (Status.COMPLETED, Status.INCOMPLETE)
    assert fresh(climbs).certificate.is_valid
    certificate.refresh_from_db()
    assert not certificate.is_valid
    assert certificate.revoked_by == organizer
    assert (outcome.certificates_issued, outcome.certificates_revoked) == (1, 1)
    assert EnrollmentChange.objects.filter(enrollment=climbs).count() == 2


def test_an_override_is_kept_when_completion_is_recomputed(cohort, organizer):
    held = sessions(cohort, 5)
    short, done = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    marks(short, held, [A.PRESENT] * 2)
    marks(done, held, [A.PRESENT] * 5)
    complete(cohort, organizer)

    completion_override(
        enrollment=short, completed=True, note="Sakit, tugas pengganti diserahkan.", by=organizer
    )
    completion_override(
        enrollment=done, completed=False, note="Tanda tangan dipalsukan.", by=organizer
    )
    completion_apply(cohort=cohort, by=organizer)

    short, done = fresh(short), fresh(done)
    assert (short.status, short.completion_reason) == (Status.COMPLETED, "overridden")
    assert short.completion_overridden_by == organizer
    assert short.completion_override_note == "Sakit, tugas pengganti diserahkan."
    assert short.certificate.is_valid
    assert (done.status, done.completion_reason) == (Status.INCOMPLETE, "overridden")
    assert not done.certificate.is_valid
    assert done.certificate.revoke_reason == "Tanda tangan dipalsukan."
    notes = EnrollmentChange.objects.filter(enrollment=short).values_list("note", flat=True)
    assert list(notes)[-1] == "Sakit, tugas pengganti diserahkan."


def test_overriding_back_to_completed_does_not_revive_a_revoked_certificate(cohort, organizer):
    person = EnrollmentFactory(cohort=cohort)
    marks(person, sessions(cohort, 1), [A.PRESENT])
    complete(cohort, organizer)
    first = fresh(person).certificate

    completion_override(enrollment=person, completed=False, note="Salah input.", by=organizer)
    completion_override(enrollment=person, completed=True, note="Ternyata benar.", by=organizer)

    assert Certificate.objects.filter(enrollment=person).count() == 1
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert first.revoke_reason == "Salah input."
    assert fresh(person).status == Status.COMPLETED


@pytest.mark.parametrize("language", ["en", "id"])
def test_bad_overrides_are_refused_with_a_clear_message_and_change_nothing(
    organization, organizer, language
):
    running = running_cohort(organization)
    confirmed = EnrollmentFactory(cohort=running)
    cohort = running_cohort(organization)
    decided = EnrollmentFactory(cohort=cohort)
    pending = EnrollmentFactory(cohort=cohort, status=Status.PENDING)
    complete(cohort, organizer)
    decided = fresh(decided)

    with translation.override(language):
        with pytest.raises(ValidationError) as no_note:
            completion_override(enrollment=decided, completed=True, note="  ", by=organizer)
        with pytest.raises(ValidationError) as not_completed_yet:
            completion_override(enrollment=confirmed, completed=True, note="x", by=organizer)
        with pytest.raises(ValidationError) as not_decided:
            completion_override(enrollment=pending, completed=True, note="x", by=organizer)
        with pytest.raises(ValidationError) as too_early:
            completion_apply(cohort=running, by=organizer)

    if language == "en":
        assert no_note.value.messages == [
            "Write a note: why does this decision differ from the rule?"
        ]
        assert not_completed_yet.value.messages == [
            "Completion can be overridden only once the cohort is completed."
        ]
        assert not_decided.value.messages == [
            "Only a participant with a completion decision can be overridden."
        ]
        assert too_early.value.messages == ["Completion is decided once the cohort is completed."]
    assert fresh(decided).status == Status.INCOMPLETE
    assert fresh(decided).completion_reason == CompletionReason.LOW_ATTENDANCE
    assert fresh(confirmed).status == Status.CONFIRMED
    assert fresh(pending).status == Status.PENDING
    assert not Certificate.objects.exists()


# --- the organizer's page --------------------------------------------------------------------


def _url(name: str, cohort: Cohort, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"cohorts:{name}", kwargs={"slug": cohort.slug, **kwargs})


def _texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def as_organizer(client, organizer):
    client.force_login(organizer)
    return client


def test_the_page_shows_numbers_decision_and_reason_per_person(as_organizer, cohort, organizer):
    held = sessions(cohort, 4)
    sessions(cohort, 1, CANCELLED)
    person = EnrollmentFactory(cohort=cohort, member__full_name="Wayan Sudarsana")
    marks(person, held, [A.PRESENT, A.LATE, A.EXCUSED, A.ABSENT])
    complete(cohort, organizer)

    response = as_organizer.get(_url("completion", cohort))

    page = response.content.decode()
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row.count.attended, row.count.held, row.count.excused) == (2, 4, 1)
    assert "Wayan Sudarsana" in page
    assert "Attended 2 of 3 counted sessions (4 held, 1 excused)" in page
    assert "Attendance 66.6% below the minimum 80%" in page
    assert "Did not complete" in page
    assert "Change the decision" in page


def test_past_sessions_without_a_report_are_listed_before_completing(
    as_organizer, cohort, organizer
):
    sessions(cohort, 1)
    [unreported] = sessions(cohort, 1, SCHEDULED)
    Session.objects.filter(pk=unreported.pk).update(title="Negosiasi bipartit")
    upcoming = SessionFactory(
        cohort=cohort,
        title="Belum terjadi",
        starts_at=timezone.now() + dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=1),
    )

    completion_page = as_organizer.get(_url("completion", cohort)).content.decode()
    manage_page = as_organizer.get(_url("manage_detail", cohort)).content.decode()

    for page in (completion_page, manage_page):
        assert "Negosiasi bipartit" in page
        assert "past session has no submitted report" in page
    assert upcoming.title not in completion_page
    assert "Preview: nothing is decided yet" in completion_page


def test_the_page_previews_the_rule_while_the_cohort_runs(as_organizer, cohort):
    person = EnrollmentFactory(cohort=cohort)
    marks(person, sessions(cohort, 2), [A.PRESENT] * 2)

    response = as_organizer.get(_url("completion", cohort))

    [row] = response.context["rows"]
    assert row.is_completed
    assert not row.is_decided
    assert fresh(person).status == Status.CONFIRMED  # a preview saves nothing
    assert "Attendance 100% meets the minimum 80%" in response.content.decode()


def test_marking_the_cohort_completed_from_the_web_decides_and_issues(
    as_organizer, cohort, organizer
):
    person = EnrollmentFactory(cohort=cohort)
    marks(person, sessions(cohort, 1), [A.PRESENT])

    as_organizer.post(_url("transition", cohort), {"to_status": "completed"})

    assert fresh(person).status == Status.COMPLETED
    assert fresh(person).certificate.issued_by == organizer


def test_override_from_the_page_needs_a_note(as_organizer, cohort, organizer):
    person = EnrollmentFactory(cohort=cohort)
    sessions(cohort, 1)
    complete(cohort, organizer)
    url = _url("completion_override", cohort, pk=person.pk)

    refused = as_organizer.post(url, {"decision": "completed", "note": " "})
    saved = as_organizer.post(url, {"decision": "completed", "note": "Hadir, lupa dicatat."})

    assert "Write a note: why does this decision differ from the rule?" in _texts(refused)
    assert refused["Location"].endswith(f"#person-{person.pk}")
    assert f"Saved: {person.member.full_name} completed." in _texts(saved)
    assert fresh(person).status == Status.COMPLETED
    assert fresh(person).certificate.is_valid
    assert EnrollmentChange.objects.filter(enrollment=person).count() == 2


def test_recompute_from_the_page(as_organizer, cohort, organizer):
    person = EnrollmentFactory(cohort=cohort)
    [late] = sessions(cohort, 1, SCHEDULED)
    marks(person, [late], [A.PRESENT])
    complete(cohort, organizer)
    Session.objects.filter(pk=late.pk).update(status=HELD)

    response = as_organizer.post(_url("completion_recompute", cohort))

    assert fresh(person).status == Status.COMPLETED
    assert _texts(response) == [
        (
            "Recomputed: 1 completed, 0 did not complete (0 decided by an organizer kept). "
            "Certificates: 1 issued, 0 revoked."
        )
    ]


def test_recompute_of_a_running_cohort_is_refused(as_organizer, cohort):
    EnrollmentFactory(cohort=cohort)

    response = as_organizer.post(_url("completion_recompute", cohort))

    assert _texts(response) == ["Completion is decided once the cohort is completed."]
    assert not Enrollment.objects.filter(completion_decided_at__isnull=False).exists()


def test_an_organizer_of_another_organization_gets_404_everywhere(client, cohort, organizer):
    person = EnrollmentFactory(cohort=cohort)
    sessions(cohort, 1)
    complete(cohort, organizer)
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=OrganizationFactory(), role="organizer")
    client.force_login(user)

    gets = [_url("completion", cohort), _url("completion_certificate", cohort, pk=person.pk)]
    posts = [
        _url("completion_recompute", cohort),
        _url("completion_override", cohort, pk=person.pk),
        _url("certificate_revoke", cohort, pk=person.pk),
    ]

    assert [client.get(url).status_code for url in gets] == [404, 404]
    data = {"decision": "completed", "note": "x", "reason": "x"}
    assert [client.post(url, data).status_code for url in posts] == [404, 404, 404]
    assert fresh(person).completion_reason == CompletionReason.LOW_ATTENDANCE


def _bulk_participants(cohort: Cohort, count: int, held: list[Session]) -> None:
    organization = OrganizationFactory()
    people = Member.objects.bulk_create(
        Member(full_name=f"Peserta {number:03d}", organization=organization)
        for number in range(count)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=person, status=Status.CONFIRMED, ticket_code=f"t{n}")
        for n, person in enumerate(people)
    )
    for number, enrollment in enumerate(enrollments):
        statuses = [A.PRESENT, A.LATE, A.EXCUSED, A.ABSENT]
        marks(enrollment, held, statuses[number % 4 :] + statuses[: number % 4])


@pytest.mark.parametrize("count", [10, 120])
def test_the_page_costs_the_same_queries_for_10_or_120(
    as_organizer, cohort, organizer, count, django_assert_max_num_queries
):
    held = sessions(cohort, 4)
    _bulk_participants(cohort, count, held)
    complete(cohort, organizer)

    # login session, user, cohort in reach, sessions, participants with their counts,
    # certificates and who overrode, and the navbar's two
    with django_assert_max_num_queries(7):
        response = as_organizer.get(_url("completion", cohort))

    assert len(response.context["rows"]) == count
    assert Certificate.objects.count() == sum(r.is_completed for r in response.context["rows"])
