"""The cohort dashboard: its figures against a small cohort worked out by hand, an empty
cohort, who may open it, its SVG bars, its export, and that it costs the same few queries
for a class of 10 or of 100 with 12 sessions.

The scene (``scene`` fixture), minimum attendance 50%:

    session     S1 held   S2 held   S3 held   S4 cancelled   S5 scheduled
    Andi        present   present   late      —              present
    Budi        present   absent    excused   —              —
    Citra       late      excused   —         —              —
    Dewi        absent    absent    absent    absent         —
    Fajar (cancelled registration): present at S1, pre-test 100 — counts nowhere.

    pre / post attempts: Andi 40 / 60, 90 (passed), 75 (passed); Budi 50 / 45;
    Citra 30 / —; Dewi — / 90 (passed).
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cohorts.models import (
    AssessmentAttempt,
    Attendance,
    Cohort,
    CompletionReason,
    Enrollment,
    Session,
)
from cohorts.selectors.dashboard import cohort_dashboard
from members.models import Member
from tests.cohorts.factories import (
    AssessmentAttemptFactory,
    AttendanceFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionFactory,
)
from tests.curriculum.factories import full_curriculum
from tests.members.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PRESENT, LATE, ABSENT, EXCUSED = "present", "late", "absent", "excused"
MARKS = {
    "Andi": [PRESENT, PRESENT, LATE, None, PRESENT],
    "Budi": [PRESENT, ABSENT, EXCUSED, None, None],
    "Citra": [LATE, EXCUSED, None, None, None],
    "Dewi": [ABSENT, ABSENT, ABSENT, ABSENT, None],
}
PRE = {"Andi": "40.0", "Budi": "50.0", "Citra": "30.0"}
POST = {  # name: [(score, passed), ...] in attempt order
    "Andi": [("60.0", False), ("90.0", True), ("75.0", True)],
    "Budi": [("45.0", False)],
    "Dewi": [("90.0", True)],
}


def url(name: str, cohort: Cohort) -> str:
    with translation.override("en"):
        return reverse(name, kwargs={"slug": cohort.slug})


@pytest.fixture
def cohort(organization):
    return CohortFactory(
        organizers=[organization],
        status=Cohort.Status.RUNNING,
        min_attendance_percent=50,
        time_zone="Asia/Makassar",
    )


def _sessions(cohort: Cohort) -> list[Session]:
    statuses = ["held", "held", "held", "cancelled", "scheduled"]
    zone = ZoneInfo(cohort.time_zone)
    return [
        SessionFactory(
            cohort=cohort,
            title=f"S{number}",
            status=status,
            starts_at=dt.datetime.combine(
                cohort.starts_on + dt.timedelta(days=number // 2), dt.time(9 + number), zone
            ),
        )
        for number, status in enumerate(statuses, start=1)
    ]


def _attempts(seat: Enrollment, name: str) -> None:
    if name in PRE:
        AssessmentAttemptFactory(enrollment=seat, score_percent=Decimal(PRE[name]))
    for number, (score, passed) in enumerate(POST.get(name, []), start=1):
        AssessmentAttemptFactory(
            enrollment=seat, kind="post", number=number, score_percent=Decimal(score), passed=passed
        )


@pytest.fixture
def scene(cohort):
    sessions = _sessions(cohort)
    seats = {}
    for name, marks in MARKS.items():
        seats[name] = EnrollmentFactory(cohort=cohort, member__full_name=name)
        for session, status in zip(sessions, marks, strict=True):
            if status:
                AttendanceFactory(enrollment=seats[name], session=session, status=status)
        _attempts(seats[name], name)
    gone = EnrollmentFactory(
        cohort=cohort, member__full_name="Fajar", status=Enrollment.Status.CANCELLED
    )
    AttendanceFactory(enrollment=gone, session=sessions[0])
    AssessmentAttemptFactory(enrollment=gone, score_percent=Decimal("100.0"))
    EnrollmentFactory(cohort=cohort, member__full_name="Eko", status=Enrollment.Status.WAITLISTED)
    return sessions, seats


def _decide(seat: Enrollment, status: str, reason: str) -> None:
    seat.status, seat.completion_reason = status, reason
    seat.save(update_fields=["status", "completion_reason"])


# --- figures ---------------------------------------------------------------------------------


def test_attendance_per_session(cohort, scene):
    rows = cohort_dashboard(cohort=cohort).sessions

    assert [row.session.title for row in rows] == ["S1", "S2", "S3", "S5"]  # S4 cancelled
    assert [row.is_held for row in rows] == [True, True, True, False]
    counts = [(r.present, r.late, r.absent, r.excused, r.unmarked) for r in rows]
    assert counts == [(2, 1, 1, 0, 0), (1, 0, 2, 1, 0), (0, 1, 1, 1, 1), (1, 0, 0, 0, 3)]
    assert [row.on_the_roll for row in rows] == [4, 4, 4, 4]
    assert [row.rate for row in rows] == [
        Decimal("75.0"),
        Decimal("25.0"),
        Decimal("25.0"),
        Decimal("25.0"),
    ]


def test_attendance_per_participant(cohort, scene):
    sessions, _seats = scene
    s1, s2, s3 = sessions[:3]

    dashboard = cohort_dashboard(cohort=cohort)
    rows = {row.name: row for row in dashboard.participants}

    assert list(rows) == ["Andi", "Budi", "Citra", "Dewi"]  # not the cancelled, nor waitlisted
    figures = {
        name: (r.attended, r.excused, r.held, r.attendance_percent) for name, r in rows.items()
    }
    assert figures == {
        "Andi": (3, 0, 3, Decimal("100.0")),  # late counts; the scheduled S5 does not
        "Budi": (1, 1, 3, Decimal("50.0")),  # 1 of the 2 left after the excused one
        "Citra": (1, 1, 3, Decimal("50.0")),
        "Dewi": (0, 0, 3, Decimal("0.0")),  # the cancelled S4 does not count
    }
    # Exactly at the 50% minimum passes.
    assert {name: r.meets_minimum for name, r in rows.items()} == {
        "Andi": True,
        "Budi": True,
        "Citra": True,
        "Dewi": False,
    }
    assert {name: r.missed for name, r in rows.items()} == {
        "Andi": [],
        "Budi": [s2],
        "Citra": [s3],  # no mark at a held session is a missed one
        "Dewi": [s1, s2, s3],
    }
    assert dashboard.held == 3
    assert dashboard.on_the_roll == 4
    assert dashboard.average_attendance == Decimal("50.0")  # (100 + 50 + 50 + 0) / 4


def test_knowledge_gain(cohort, scene):
    dashboard = cohort_dashboard(cohort=cohort)
    rows = {row.name: row for row in dashboard.participants}

    scores = {name: (r.pre_score, r.post_score, r.gain, r.post_passed) for name, r in rows.items()}
    assert scores == {
        # the best post attempt, not the last one
        "Andi": (Decimal("40.0"), Decimal("90.0"), Decimal("50.0"), True),
        "Budi": (Decimal("50.0"), Decimal("45.0"), Decimal("-5.0"), False),
        "Citra": (Decimal("30.0"), None, None, False),
        "Dewi": (None, Decimal("90.0"), None, True),
    }
    knowledge = dashboard.knowledge
    assert knowledge.average_pre == Decimal("40.0")  # (40 + 50 + 30) / 3; Fajar's 100 not in
    assert knowledge.average_post == Decimal("75.0")  # (90 + 45 + 90) / 3
    assert knowledge.average_gain == Decimal("22.5")  # (50 − 5) / 2
    assert (knowledge.took_pre, knowledge.took_post, knowledge.passed) == (3, 3, 2)


def test_completion_summary(cohort, scene):
    _sessions, seats = scene
    _decide(seats["Andi"], Enrollment.Status.COMPLETED, CompletionReason.MET_RULE)
    _decide(seats["Budi"], Enrollment.Status.COMPLETED, CompletionReason.OVERRIDDEN)
    _decide(seats["Dewi"], Enrollment.Status.INCOMPLETE, CompletionReason.LOW_ATTENDANCE)

    dashboard = cohort_dashboard(cohort=cohort)
    completion = dashboard.completion

    assert (completion.completed, completion.incomplete, completion.undecided) == (2, 1, 1)
    assert [(r.reason, r.completed, r.incomplete) for r in completion.reasons] == [
        ("met_rule", 1, 0),
        ("attendance", 0, 1),
        ("overridden", 1, 0),
    ]
    # Someone who did not complete stays on the dashboard's roll.
    assert dashboard.on_the_roll == 4
    assert [row.on_the_roll for row in dashboard.sessions] == [4, 4, 4, 4]


def test_an_empty_cohort_has_no_figures_and_no_division_by_zero(client, organizer, organization):
    cohort = CohortFactory(organizers=[organization])

    dashboard = cohort_dashboard(cohort=cohort)

    assert dashboard.sessions == []
    assert dashboard.participants == []
    assert dashboard.average_attendance is None
    knowledge = dashboard.knowledge
    assert (knowledge.average_pre, knowledge.average_post, knowledge.average_gain) == (None,) * 3
    assert (dashboard.completion.completed, dashboard.completion.decided) == (0, 0)
    client.force_login(organizer)
    response = client.get(url("cohorts:cohort_dashboard", cohort))
    assert response.status_code == 200
    headline = _fragment(response, 'id="headline"', "</section>")
    assert re.search(r'id="figure-attendance">\s*—', headline)
    assert re.search(r'id="figure-gain">\s*—', headline)
    assert re.search(r'id="figure-completed">\s*—', headline)
    assert "No sessions are planned yet." in response.content.decode()


def test_before_any_session_is_held_everyone_is_at_zero_and_the_average_is_empty(cohort):
    SessionFactory(cohort=cohort)
    EnrollmentFactory(cohort=cohort)

    dashboard = cohort_dashboard(cohort=cohort)

    [row] = dashboard.participants
    assert (row.attendance_percent, row.meets_minimum, row.missed) == (Decimal("0.0"), False, [])
    assert dashboard.average_attendance is None
    assert dashboard.sessions[0].rate is None  # neither held nor marked: no rate yet


def test_two_of_three_is_66_6_rounded_down_and_below_a_67_minimum(cohort):
    cohort.min_attendance_percent = 67
    cohort.save(update_fields=["min_attendance_percent"])
    held = SessionFactory.create_batch(3, cohort=cohort, status=Session.Status.HELD)
    seat = EnrollmentFactory(cohort=cohort)
    for session in held[:2]:
        AttendanceFactory(enrollment=seat, session=session)

    dashboard = cohort_dashboard(cohort=cohort)

    [row] = dashboard.participants
    assert (row.attendance_percent, row.meets_minimum) == (Decimal("66.6"), False)
    # A held session nobody was marked at reads 0%, not "no rate".
    assert [s.rate for s in dashboard.sessions] == [Decimal("100.0")] * 2 + [Decimal("0.0")]


# --- the page --------------------------------------------------------------------------------


def _fragment(response, start: str, end: str) -> str:
    page = response.content.decode()
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


@pytest.fixture
def as_organizer(client, organizer):
    client.force_login(organizer)
    return client


def test_the_page_shows_the_headline_figures(as_organizer, cohort, scene):
    response = as_organizer.get(url("cohorts:cohort_dashboard", cohort))

    assert response.status_code == 200
    headline = _fragment(response, 'id="headline"', "Attendance per session")
    assert re.search(r'id="figure-roll">4<', headline)
    assert re.search(r'id="figure-attendance">\s*50.0%', headline)
    assert re.search(r'id="figure-gain">\s*\+22.5', headline)
    assert "not decided yet" in headline
    assert "over 3 held sessions" in headline


def test_each_sessions_bar_has_a_rect_per_status_as_wide_as_its_share(as_organizer, cohort, scene):
    sessions, _seats = scene

    response = as_organizer.get(url("cohorts:cohort_dashboard", cohort))

    first = _fragment(response, f'id="session-row-{sessions[0].pk}"', "</li>")
    # 2 present, 1 late, 1 absent of 4 on the roll: 50 + 25 + 25 of a 100-wide bar.
    assert '<rect class="bar-present" x="0" y="0" width="50" height="10" />' in first
    assert '<rect class="bar-late" x="50" y="0" width="25" height="10" />' in first
    assert '<rect class="bar-absent" x="75" y="0" width="25" height="10" />' in first
    assert "bar-excused" not in first
    assert "75.0%" in first
    assert "Present: 2 · Late: 1 · Absent: 1 · Excused: 0 · Not marked: 0" in first
    scheduled = _fragment(response, f'id="session-row-{sessions[4].pk}"', "</li>")
    assert "Not held yet" in scheduled
    assert '<rect class="bar-unmarked" x="25" y="0" width="75" height="10" />' in scheduled
    assert f'id="session-row-{sessions[3].pk}"' not in response.content.decode()


def test_each_participant_has_a_bar_the_minimum_line_and_their_missed_sessions(
    as_organizer, cohort, scene
):
    _sessions, seats = scene

    response = as_organizer.get(url("cohorts:cohort_dashboard", cohort))

    budi = _fragment(response, f'id="participant-row-{seats["Budi"].pk}"', "</li>")
    assert '<rect class="bar-ok" width="50" height="10" />' in budi
    assert 'class="bar-line" x1="50" x2="50"' in budi
    assert "50.0%" in budi
    assert "(1/2)" in budi
    assert "Missed" in budi
    assert "S2" in budi
    dewi = _fragment(response, f'id="participant-row-{seats["Dewi"].pk}"', "</li>")
    assert '<rect class="bar-low" width="0" height="10" />' in dewi
    assert "Below the minimum" in dewi


def test_pre_and_post_bars_per_participant_with_the_pass_mark(as_organizer, cohort, scene):
    _sessions, seats = scene
    cohort.curriculum = full_curriculum()  # its test passes at 70%
    cohort.save(update_fields=["curriculum"])

    response = as_organizer.get(url("cohorts:cohort_dashboard", cohort))

    andi = _fragment(response, f'id="knowledge-row-{seats["Andi"].pk}"', "</li>")
    assert '<rect class="bar-pre" width="40" height="10" />' in andi
    assert '<rect class="bar-post" width="90" height="10" />' in andi
    assert andi.count('class="bar-line" x1="70" x2="70"') == 2
    assert "+50.0" in andi
    assert "passed" in andi
    citra = _fragment(response, f'id="knowledge-row-{seats["Citra"].pk}"', "</li>")
    assert "bar-post" not in citra
    assert "Dashed line: pass mark 70%" in response.content.decode()


def test_numbers_in_the_svg_keep_a_dot_in_indonesian(as_organizer, cohort):
    """Indonesian writes 33,33; an SVG attribute must still read 33.33."""
    session = SessionFactory(cohort=cohort, status=Session.Status.HELD)
    seats = EnrollmentFactory.create_batch(3, cohort=cohort)
    AttendanceFactory(enrollment=seats[0], session=session)

    with translation.override("id"):
        response = as_organizer.get(reverse("cohorts:cohort_dashboard", args=[cohort.slug]))

    row = _fragment(response, f'id="session-row-{session.pk}"', "</li>")
    assert 'class="bar-present" x="0" y="0" width="33.33"' in row
    assert 'x="33.33" y="0" width="66.67"' in row
    assert "33,3%" in row  # the visible figure follows the language


def test_the_organizers_cohort_page_links_the_dashboard(as_organizer, cohort):
    response = as_organizer.get(url("cohorts:manage_detail", cohort))

    assert url("cohorts:cohort_dashboard", cohort) in response.content.decode()


def test_the_dashboard_links_the_organizer_to_completion(as_organizer, cohort):
    response = as_organizer.get(url("cohorts:cohort_dashboard", cohort))

    assert url("cohorts:completion", cohort) in response.content.decode()


# --- who -------------------------------------------------------------------------------------


def test_a_lead_trainer_reads_it_without_the_organizers_links(client, trainer, cohort):
    cohort.lead_trainers.add(MemberFactory(user=trainer))
    client.force_login(trainer)

    response = client.get(url("cohorts:cohort_dashboard", cohort))

    assert response.status_code == 200
    assert url("cohorts:manage_detail", cohort) not in response.content.decode()
    assert url("cohorts:completion", cohort) not in response.content.decode()


def test_the_public_cohort_page_links_the_dashboard_for_its_lead_trainers_only(
    client, trainer, participant, cohort
):
    cohort.lead_trainers.add(MemberFactory(user=trainer))
    dashboard_url = url("cohorts:cohort_dashboard", cohort)

    client.force_login(trainer)
    assert dashboard_url in client.get(url("cohorts:detail", cohort)).content.decode()
    client.force_login(participant)
    assert dashboard_url not in client.get(url("cohorts:detail", cohort)).content.decode()
    client.logout()
    assert dashboard_url not in client.get(url("cohorts:detail", cohort)).content.decode()


def test_a_session_trainer_who_does_not_lead_gets_404(client, trainer, cohort):
    SessionFactory(cohort=cohort, trainers=[MemberFactory(user=trainer)])
    client.force_login(trainer)

    assert client.get(url("cohorts:cohort_dashboard", cohort)).status_code == 404


def test_another_organizations_organizer_gets_404_also_for_the_export(client, organizer):
    cohort = CohortFactory(organizers=[OrganizationFactory()])
    client.force_login(organizer)

    assert client.get(url("cohorts:cohort_dashboard", cohort)).status_code == 404
    assert client.get(url("cohorts:cohort_dashboard_export", cohort)).status_code == 404


# --- export ----------------------------------------------------------------------------------


def test_the_csv_export_has_a_row_per_participant(as_organizer, cohort, scene):
    response = as_organizer.get(url("cohorts:cohort_dashboard_export", cohort))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == [
        "Name",
        "Status",
        "Sessions attended",
        "Sessions excused",
        "Sessions held",
        "Attendance (%)",
    ]
    assert [row[0] for row in rows[1:]] == ["Andi", "Budi", "Citra", "Dewi"]
    budi = rows[2]
    assert budi[1:11] == ["Confirmed", "1", "1", "3", "50.0", "S2", "50.0", "45.0", "-5.0", "no"]
    dewi = rows[4]
    assert dewi[6] == "S1; S2; S3"


def test_the_xlsx_export_keeps_numbers_as_numbers(as_organizer, cohort, scene):
    response = as_organizer.get(url("cohorts:cohort_dashboard_export", cohort) + "?format=xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    andi = rows[1]
    assert andi[0] == "Andi"
    assert (andi[2], andi[5], andi[8], andi[9]) == (3, 100, 90, 50)


def test_an_unknown_export_format_is_404(as_organizer, cohort):
    response = as_organizer.get(url("cohorts:cohort_dashboard_export", cohort) + "?format=pdf")

    assert response.status_code == 404


# --- cost ------------------------------------------------------------------------------------


def _bulk_class(cohort: Cohort, people: int, sessions: int) -> None:
    """``people`` participants, ``sessions`` held sessions, every mark given, a pre- and two
    post-attempts each: all in a handful of inserts."""
    members = Member.objects.bulk_create(
        MemberFactory.build(organization=cohort.organizers.first()) for _ in range(people)
    )
    seats = Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=member, status=Enrollment.Status.CONFIRMED)
        for member in members
    )
    start = dt.datetime(2026, 12, 14, 1, tzinfo=dt.UTC)
    held = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            title=f"Sesi {number}",
            starts_at=start + dt.timedelta(hours=2 * number),
            ends_at=start + dt.timedelta(hours=2 * number + 1),
            status=Session.Status.HELD,
        )
        for number in range(sessions)
    )
    statuses = Attendance.Status.values
    Attendance.objects.bulk_create(
        Attendance(
            enrollment=seat,
            session=session,
            status=statuses[(i + j) % len(statuses)],
            method="roll_call",
        )
        for i, seat in enumerate(seats)
        for j, session in enumerate(held)
    )
    AssessmentAttempt.objects.bulk_create(
        AssessmentAttempt(enrollment=seat, kind=kind, number=number, score_percent=score)
        for seat in seats
        for kind, number, score in (("pre", 1, 40), ("post", 1, 60), ("post", 2, 80))
    )


@pytest.mark.parametrize(("people", "sessions"), [(10, 3), (100, 12)])
def test_the_page_costs_the_same_queries_whatever_the_size(
    as_organizer, cohort, people, sessions, django_assert_max_num_queries
):
    _bulk_class(cohort, people, sessions)

    # login session, user, cohort (with may-manage), the navbar's two; then the dashboard's
    # five: participants with their counts and scores, sessions with their counts, the
    # marks that account for held sessions, the completion counts, the pass mark
    with django_assert_max_num_queries(10):
        response = as_organizer.get(url("cohorts:cohort_dashboard", cohort))

    assert len(response.context["dashboard"].participants) == people
    assert len(response.context["dashboard"].sessions) == sessions
    assert response.context["dashboard"].knowledge.average_gain == Decimal("40.0")


@pytest.mark.parametrize(("people", "sessions"), [(10, 3), (100, 12)])
def test_the_export_costs_the_same_queries_whatever_the_size(
    as_organizer, cohort, people, sessions, django_assert_max_num_queries
):
    _bulk_class(cohort, people, sessions)

    with django_assert_max_num_queries(8):
        response = as_organizer.get(url("cohorts:cohort_dashboard_export", cohort))
        rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()

    assert len(rows) == people + 1
