"""The cascade follow-up cadence after a TOT, walked through with a moved clock: the
graduate who runs a cascade hears less and less and gets no day-60 message; the one who
does nothing reaches the day-90 escalation to the TOT's organizers."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.models import CascadePlan, Cohort, Enrollment, FollowUpStep, Notification, Session
from cohorts.services.cohorts import cohort_transition, cohort_update
from cohorts.services.completion import completion_override
from cohorts.services.follow_ups import follow_up_due, follow_ups_schedule
from cohorts.services.notifications import notification_deliver, notifications_claim_due
from tests.cohorts.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionFactory,
)
from tests.members.factories import OrganizationRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer_user(organization):
    user = UserFactory(email="penyelenggara@example.org")
    OrganizationRoleFactory(user=user, organization=organization, role="organizer")
    return user


@pytest.fixture
def tot(organization, organizer_user):
    today = timezone.localdate()
    return CohortFactory(
        organizers=[organization],
        status=Cohort.Status.RUNNING,
        starts_on=today - dt.timedelta(days=2),
        ends_on=today,
    )


def _graduate(tot, name):
    return EnrollmentFactory(
        cohort=tot,
        status=Enrollment.Status.COMPLETED,
        member__full_name=name,
        member__email=f"{name.split()[0].lower()}@example.org",
        member__preferred_channel="email",
    )


def _deliver_due(at) -> dict[str, str]:
    """Run the dispatcher's work at the moment ``at``: {dedupe key: outcome}."""
    outcomes = {}
    for notification_id in notifications_claim_due(now=at):
        key = Notification.objects.get(pk=notification_id).dedupe_key
        outcomes[key] = notification_deliver(notification_id=notification_id).status
    return outcomes


def _cascade_led_by(enrollment, tot):
    cascade = CohortFactory(
        kind=Cohort.Kind.CASCADE,
        parent=tot,
        status=Cohort.Status.OPEN,
        starts_on=tot.ends_on + dt.timedelta(days=35),
    )
    cascade.lead_trainers.set([enrollment.member])
    return cascade


def test_completing_a_tot_writes_each_graduates_cadence(tot, organizer_user):
    held = SessionFactory(cohort=tot, status=Session.Status.HELD)
    siti = _graduate(tot, "Siti Nurhaliza")
    absent = _graduate(tot, "Andi Saputra")
    Enrollment.objects.filter(pk__in=[siti.pk, absent.pk]).update(
        status=Enrollment.Status.CONFIRMED
    )
    AttendanceFactory(enrollment=siti, session=held, status="present")
    AttendanceFactory(enrollment=absent, session=held, status="absent")
    EnrollmentFactory(cohort=tot, status=Enrollment.Status.CANCELLED)

    cohort_transition(cohort=tot, to_status=Cohort.Status.COMPLETED, by=organizer_user)

    rows = {(n.kind, n.template, n.recipient_user_id): n for n in Notification.objects.all()}
    assert set(rows) == {
        ("follow_up", "plan", None),
        ("follow_up", "schedule", None),
        ("follow_up", "first_session", None),
        ("escalation", "escalate", organizer_user.pk),
    }
    assert {n.enrollment_id for n in rows.values()} == {siti.pk}
    plan = rows[("follow_up", "plan", None)]
    assert plan.due_at == follow_up_due(tot, 7)
    assert plan.due_at.astimezone(dt.timezone(dt.timedelta(hours=7))).hour == 9
    assert rows[("escalation", "escalate", organizer_user.pk)].due_at == follow_up_due(tot, 90)

    assert follow_ups_schedule(cohort=tot) == 0  # a second call adds nothing


def test_the_graduate_who_runs_a_cascade_hears_no_more_and_the_other_is_escalated(
    tot, organizer_user
):
    andi = _graduate(tot, "Andi Saputra")
    yohanes = _graduate(tot, "Yohanes Wenda")
    follow_ups_schedule(cohort=tot, now=timezone.now())
    tot.status = Cohort.Status.COMPLETED
    tot.save()

    day_7 = _deliver_due(follow_up_due(tot, 7))
    assert sorted(day_7.values()) == ["sent", "sent"]
    assert sorted(m.to[0] for m in mail.outbox) == ["andi@example.org", "yohanes@example.org"]
    # The day-7 message leads straight to the plan form for this TOT.
    assert f"/trainings/cascade/{tot.slug}/plan/" in mail.outbox[0].body

    # Andi makes a plan and schedules his cascade before day 30.
    CascadePlan.objects.create(member=andi.member, cohort=tot, note="PUK PT Sinar")
    cascade = _cascade_led_by(andi, tot)
    mail.outbox.clear()
    day_30 = _deliver_due(follow_up_due(tot, 30))
    assert day_30 == {
        f"follow-up:enrollment:{andi.pk}:schedule": "skipped",
        f"follow-up:enrollment:{yohanes.pk}:schedule": "sent",
    }
    assert [m.to[0] for m in mail.outbox] == ["yohanes@example.org"]

    # Day 40: the first session of Andi's cascade is held.
    SessionFactory(cohort=cascade, status=Session.Status.HELD)
    mail.outbox.clear()
    day_60 = _deliver_due(follow_up_due(tot, 60))
    assert day_60[f"follow-up:enrollment:{andi.pk}:first_session"] == "skipped"
    assert day_60[f"follow-up:enrollment:{yohanes.pk}:first_session"] == "sent"
    assert [m.to[0] for m in mail.outbox] == ["yohanes@example.org"]

    mail.outbox.clear()
    day_90 = _deliver_due(follow_up_due(tot, 90))
    andi_escalation = f"follow-up:enrollment:{andi.pk}:escalate:user:{organizer_user.pk}"
    yohanes_escalation = f"follow-up:enrollment:{yohanes.pk}:escalate:user:{organizer_user.pk}"
    assert day_90 == {andi_escalation: "skipped", yohanes_escalation: "sent"}
    [escalation] = mail.outbox
    assert escalation.to == ["penyelenggara@example.org"]
    assert "Yohanes Wenda" in escalation.subject
    assert "90" in escalation.body
    assert f"/cohorts/{tot.slug}/cascade/plans/" in escalation.body
    skipped = Notification.objects.get(dedupe_key=andi_escalation)
    assert skipped.skip_reason == Notification.SkipReason.CASCADE_RAN


def test_a_plan_already_made_skips_only_the_plan_step(tot):
    siti = _graduate(tot, "Siti Nurhaliza")
    follow_ups_schedule(cohort=tot, now=timezone.now())
    CascadePlan.objects.create(member=siti.member, cohort=tot)

    assert _deliver_due(follow_up_due(tot, 7)) == {
        f"follow-up:enrollment:{siti.pk}:plan": "skipped"
    }
    assert _deliver_due(follow_up_due(tot, 30)) == {
        f"follow-up:enrollment:{siti.pk}:schedule": "sent"
    }


def test_a_plan_marked_done_ends_the_cadence(tot):
    siti = _graduate(tot, "Siti Nurhaliza")
    follow_ups_schedule(cohort=tot, now=timezone.now())
    CascadePlan.objects.create(member=siti.member, cohort=tot, done_at=timezone.now())

    outcomes = _deliver_due(follow_up_due(tot, 90))

    assert set(outcomes.values()) == {"skipped"}
    assert mail.outbox == []


def test_someone_who_is_no_longer_a_graduate_gets_nothing(tot):
    siti = _graduate(tot, "Siti Nurhaliza")
    follow_ups_schedule(cohort=tot, now=timezone.now())
    Enrollment.objects.filter(pk=siti.pk).update(status=Enrollment.Status.INCOMPLETE)

    assert set(_deliver_due(follow_up_due(tot, 7)).values()) == {"skipped"}


def test_cascade_cohorts_get_no_cadence_of_their_own(tot):
    cascade = _cascade_led_by(_graduate(tot, "Siti Nurhaliza"), tot)
    _graduate(cascade, "Andi Saputra")

    assert follow_ups_schedule(cohort=cascade) == 0


def test_the_cadence_follows_the_cohorts_days(tot, organizer_user):
    cohort_update(
        cohort=tot,
        by=organizer_user,
        follow_up_days={FollowUpStep.PLAN: 3, FollowUpStep.ESCALATE: 45},
    )
    _graduate(tot, "Siti Nurhaliza")
    tot.refresh_from_db()

    follow_ups_schedule(cohort=tot, now=timezone.now())

    dues = dict(Notification.objects.values_list("template", "due_at"))
    assert dues == {"plan": follow_up_due(tot, 3), "escalate": follow_up_due(tot, 45)}


@pytest.mark.parametrize(
    "days",
    [{"plan": 0}, {"plan": 30, "schedule": 7}, {"later": 5}, {"plan": "7"}, [7, 30]],
    ids=repr,
)
def test_impossible_follow_up_days_are_refused_and_nothing_changes(tot, organizer_user, days):
    with pytest.raises(ValidationError) as refused:
        cohort_update(cohort=tot, by=organizer_user, follow_up_days=days)

    assert "follow_up_days" in refused.value.message_dict
    tot.refresh_from_db()
    assert tot.follow_up_days == {"plan": 7, "schedule": 30, "first_session": 60, "escalate": 90}


def test_an_override_stops_or_restarts_the_cadence(tot, organizer_user):
    held = SessionFactory(cohort=tot, status=Session.Status.HELD)
    siti = _graduate(tot, "Siti Nurhaliza")
    Enrollment.objects.filter(pk=siti.pk).update(status=Enrollment.Status.CONFIRMED)
    AttendanceFactory(enrollment=siti, session=held, status="present")
    cohort_transition(cohort=tot, to_status=Cohort.Status.COMPLETED, by=organizer_user)
    cadence = Notification.objects.filter(enrollment=siti)
    assert set(cadence.values_list("status", flat=True)) == {"scheduled"}

    completion_override(
        enrollment=siti, completed=False, note="Tidak ikut praktik", by=organizer_user
    )
    assert set(cadence.values_list("status", flat=True)) == {"cancelled"}

    completion_override(enrollment=siti, completed=True, note="Sudah praktik", by=organizer_user)
    assert set(cadence.values_list("status", flat=True)) == {"scheduled"}
    assert cadence.count() == 4
