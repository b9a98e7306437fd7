import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cohorts.demo import DEMO_PASSWORD, demo_data_load
from cohorts.models import AssessmentAttempt, Cohort, Enrollment, Session
from cohorts.selectors.clashes import cohort_clashes
from members.models import Member, Organization, OrganizationRole, Region
from members.permissions import members_visible_to

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_demo_tells_the_seed_story():
    demo_data_load()

    cohort = Cohort.objects.get(slug="tot-dialog-sosial-lubuklinggau")
    assert cohort.kind == Cohort.Kind.TOT
    assert cohort.status == Cohort.Status.OPEN
    assert sorted(cohort.organizers.values_list("short_name", flat=True)) == ["KSBSI", "KSPI"]
    assert cohort.region.code == "16.73"
    assert cohort.region.parent.code == "16"
    assert Region.objects.get(code="16").name == "Sumatera Selatan"


def test_demo_schedules_the_seed_tot_over_three_days_with_trainers_and_no_clash():
    demo_data_load(today=dt.date(2026, 11, 29))

    cohort = Cohort.objects.get(slug="tot-dialog-sosial-lubuklinggau")
    sessions = list(cohort.sessions.prefetch_related("trainers", "modules"))
    local_days = {
        session.starts_at.astimezone(ZoneInfo(cohort.time_zone)).date() for session in sessions
    }
    assert cohort.title == "TOT KSPI–KSBSI Lubuklinggau"
    assert sorted(local_days) == [
        dt.date(2026, 12, 20),
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 22),
    ]
    assert {module.pk for s in sessions for module in s.modules.all()} == set(
        cohort.curriculum.modules.values_list("pk", flat=True)
    )
    assert all(session.trainers.exists() for session in sessions)
    assert {t.full_name for t in cohort.lead_trainers.all()} == {"Rudi Hartono", "Dewi Lestari"}
    assert cohort_clashes(cohort=cohort) == []
    assert cohort.status_changes.filter(to_status=Cohort.Status.OPEN).exists()
    confirmed = cohort.enrollments.filter(status=Enrollment.Status.CONFIRMED)
    assert confirmed.count() == 24 < cohort.capacity
    assert {e.member.organization.parent.short_name for e in confirmed} == {"FSPMI", "F-HUKATAN"}


def test_demo_has_cohorts_across_provinces_and_zones():
    demo_data_load()

    # The TOTs outside Lubuklinggau (the seed's and its cascades are all in Sumatera Selatan).
    cohorts = Cohort.objects.filter(kind=Cohort.Kind.TOT).exclude(region__code="16.73")
    assert {cohort.time_zone for cohort in cohorts} == {
        "Asia/Jakarta",
        "Asia/Makassar",
        "Asia/Jayapura",
    }
    assert {cohort.status for cohort in cohorts} == {"open", "draft", "completed"}
    assert len({cohort.region.parent_id for cohort in cohorts}) == 3


def test_demo_accounts_can_log_in_and_hold_their_roles(client):
    accounts = {account.role: account for account in demo_data_load()}

    for account in accounts.values():
        assert client.login(username=account.email, password=DEMO_PASSWORD)
        client.logout()
    organizer = get_user_model().objects.get(email=accounts["organizer"].email)
    trainer = get_user_model().objects.get(email=accounts["trainer"].email)
    assert organizer.organization_roles.get().role == OrganizationRole.Role.ORGANIZER
    assert trainer.organization_roles.get().role == OrganizationRole.Role.TRAINER
    assert Member.objects.filter(user__email=accounts["participant"].email).exists()


def test_loading_twice_changes_nothing():
    demo_data_load()
    counts = [
        model.objects.count()
        for model in (
            Region,
            Organization,
            Cohort,
            Session,
            Enrollment,
            Member,
            OrganizationRole,
            User,
        )
    ]

    demo_data_load()

    assert counts == [
        model.objects.count()
        for model in (
            Region,
            Organization,
            Cohort,
            Session,
            Enrollment,
            Member,
            OrganizationRole,
            User,
        )
    ]


def test_command_prints_the_demo_logins(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo_data")

    output = capsys.readouterr().out
    assert "penyelenggara@example.org" in output
    assert "lulusan@example.org" in output
    assert DEMO_PASSWORD in output


def test_command_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
    assert not get_user_model().objects.exists()


def test_demo_builds_both_union_trees_with_200_members():
    accounts = {account.role: account for account in demo_data_load()}

    generated = Member.objects.filter(organization__kind="workplace_union").exclude(
        member_number__startswith="SS-"  # the seed TOT's participants and their cascades'
    )
    assert generated.count() == 200
    for confederation, federation in (("KSPI", "FSPMI"), ("KSBSI", "F-HUKATAN")):
        assert Organization.objects.filter(
            short_name=federation, parent__short_name=confederation
        ).exists()
    organizer = get_user_model().objects.get(email=accounts["organizer"].email)
    assert members_visible_to(organizer).filter(organization__parent__short_name="FSPMI").count()


def test_demo_bekasi_participants_took_the_pre_and_post_test():
    demo_data_load(today=dt.date(2026, 11, 29))
    demo_data_load(today=dt.date(2026, 11, 29))  # a second load adds nothing

    cohort = Cohort.objects.get(slug="tot-dialog-sosial-bekasi")
    assert cohort.curriculum.assessment.questions.count() >= 8
    attempts = AssessmentAttempt.objects.filter(enrollment__cohort=cohort)
    pre = {a.enrollment_id: a for a in attempts.filter(kind="pre")}
    best_post = {}
    for attempt in attempts.filter(kind="post").order_by("score_percent"):
        best_post[attempt.enrollment_id] = attempt
    assert len(pre) == 12
    assert 0 < len(best_post) < len(pre)  # someone never took the post-test: no gain
    assert attempts.filter(kind="post", number=2, passed=True).exists()
    assert not all(a.passed for a in best_post.values())
    gains = [best_post[pk].score_percent - pre[pk].score_percent for pk in best_post]
    assert all(gain > 0 for gain in gains)
    assert any(a.passed for a in best_post.values())
    for attempt in attempts:
        assert attempt.question_count == cohort.curriculum.assessment.questions.count()
        assert len(attempt.answers) == attempt.question_count
        assert attempt.submitted_at.date() < dt.date(2026, 11, 29)
    members = Member.objects.filter(enrollments__cohort=cohort)
    assert {m.organization.parent.parent.short_name for m in members} == {"KSPI"}
