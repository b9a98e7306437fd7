"""The demo's cascade story: the seed's TOT as it happened five months ago, the cascades
its graduates ran, their graduates' second generation, and those who ran none.

The demo is loaded once for this module (it takes seconds); each test runs in a
savepoint inside that transaction and leaves it as it found it, as Django's
``setUpTestData`` does.
"""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.demo import DEMO_PASSWORD, demo_data_load
from cohorts.models import (
    AssessmentAttempt,
    Attendance,
    CascadePlan,
    Certificate,
    Cohort,
    Enrollment,
    EnrollmentChange,
    Notification,
    Session,
    SessionReport,
)
from cohorts.permissions import cohorts_managed_by
from cohorts.selectors.cascade import cascade_reach, cascade_tree
from cohorts.selectors.progression import Stage, member_progression, progression_counts
from members.models import Member

pytestmark = pytest.mark.django_db
User = get_user_model()
SEED_TOT_HELD = "tot-kspi-ksbsi-lubuklinggau-angkatan-1"


@pytest.fixture(scope="module")
def demo_accounts(django_db_setup, django_db_blocker):
    """The demo, loaded once; rolled back after the module's last test."""
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        accounts = {account.role: account for account in demo_data_load()}
        yield accounts
        transaction.set_rollback(True)


def _graduates(tot: Cohort) -> list[Member]:
    return list(
        Member.objects.filter(enrollments__cohort=tot, enrollments__status="completed")
        .select_related("organization__parent__parent", "organization__region")
        .order_by("pk")
    )


def test_the_seed_tot_happened_five_months_ago_and_graduated_25_from_across_the_province(
    demo_accounts,
):
    today = timezone.localdate()

    tot = Cohort.objects.get(slug=SEED_TOT_HELD)
    assert (tot.kind, tot.status, tot.region.code) == ("tot", "completed", "16.73")
    assert sorted(tot.organizers.values_list("short_name", flat=True)) == ["KSBSI", "KSPI"]
    assert 140 <= (today - tot.ends_on).days <= 160
    assert tot.enrollments.count() == 27
    assert tot.enrollments.filter(status="incomplete").count() == 2
    graduates = _graduates(tot)
    assert len(graduates) == 25
    assert Certificate.objects.filter(enrollment__cohort=tot, revoked_at=None).count() == 25
    assert {g.organization.kind for g in graduates} == {"workplace_union"}
    assert {g.organization.parent.parent.short_name for g in graduates} == {"KSPI", "KSBSI"}
    regencies = {g.organization.region for g in graduates}
    assert {r.parent.code for r in regencies} == {"16"}
    assert {"Kota Palembang", "Kabupaten Muara Enim", "Kabupaten Musi Banyuasin"} <= {
        r.name for r in regencies
    }
    assert len(regencies) >= 10
    assert all(session.status == "held" for session in tot.sessions.all())
    assert AssessmentAttempt.objects.filter(enrollment__cohort=tot, kind="pre").count() == 27


def test_most_graduates_ran_a_cascade_for_their_own_union_in_its_regency(demo_accounts):

    tot = Cohort.objects.get(slug=SEED_TOT_HELD)
    graduates = {g.pk: g for g in _graduates(tot)}
    cascades = list(
        Cohort.objects.filter(parent=tot).prefetch_related("lead_trainers", "organizers")
    )
    statuses = Counter(cascade.status for cascade in cascades)
    assert statuses == {"completed": 18, "running": 1, "open": 1, "draft": 1, "cancelled": 1}
    for cascade in cascades:
        (lead,) = cascade.lead_trainers.all()
        union = graduates[lead.pk].organization
        assert cascade.kind == "cascade"
        assert cascade.cascade_plan.member == lead
        assert cascade.cascade_plan.cohort == tot
        assert cascade.region == union.region
        assert {o.short_name for o in cascade.organizers.all()} == {
            "KSPI",
            "KSBSI",
            union.short_name,
        }
        assert set(cascade.enrollments.values_list("member__organization", flat=True)) <= {union.pk}
        if cascade.status == "completed":
            assert 8 <= cascade.enrollments.count() <= 20
            assert cascade.curriculum.cascade_of == tot.curriculum
    ran = {
        lead.pk
        for cascade in cascades
        if cascade.status != "cancelled"
        for lead in cascade.lead_trainers.all()
    }
    assert len(ran) == 20


def test_graduates_of_cascades_ran_a_second_generation(demo_accounts):

    tot = Cohort.objects.get(slug=SEED_TOT_HELD)
    second = list(Cohort.objects.filter(parent__parent=tot).select_related("parent__curriculum"))
    assert len(second) == 4
    assert Counter(c.status for c in second) == {"completed": 3, "open": 1}
    for cascade in second:
        assert cascade.parent.curriculum.graduates_may_train
        (lead,) = cascade.lead_trainers.all()
        assert cascade.parent.enrollments.get(member=lead).status == "completed"
        assert lead.user is not None
        assert cascade.cascade_plan.cohort == cascade.parent


def test_graduates_who_ran_nothing_have_follow_ups_coming(demo_accounts):

    tot = Cohort.objects.get(slug=SEED_TOT_HELD)
    leads = Cohort.objects.filter(parent=tot).exclude(status="cancelled").values("lead_trainers")
    idle = [g for g in _graduates(tot) if g.pk not in {row["lead_trainers"] for row in leads}]
    assert len(idle) == 5
    assert CascadePlan.objects.filter(cohort=tot, member__in=idle).count() == 2
    now = timezone.now()
    for graduate in idle:
        coming = Notification.objects.filter(
            cohort=tot, member=graduate, status="scheduled", due_at__gt=now
        )
        assert set(coming.values_list("kind", flat=True)) == {"follow_up", "escalation"}
    # Co-facilitators: two who ran none of their own helped a colleague.
    helped = Member.objects.filter(
        pk__in=[g.pk for g in idle],
        trained_sessions__cohort__parent=tot,
        trained_sessions__status="held",
    ).distinct()
    assert helped.count() == 2


def test_the_reach_of_the_seed_tot(demo_accounts):
    tot = Cohort.objects.get(slug=SEED_TOT_HELD)

    reach = cascade_reach(root=tot)

    assert [(g.generation, g.cohorts, g.members_reached) for g in reach.generations] == [
        (0, 1, 25),
        (1, 21, 232),
        (2, 4, 29),
    ]
    # 20 graduates lead a cascade; one of them only an open one, which has not run yet.
    assert (reach.members_reached, reach.tot_graduates, reach.graduates_who_cascaded) == (
        286,
        25,
        19,
    )
    assert reach.members_reached > reach.tot_graduates
    assert reach.multiplier == pytest.approx(261 / 25)
    # The same figures counted another way: everyone who completed a training of the tree.
    tree = Cohort.objects.filter(Q(pk=tot.pk) | Q(parent=tot) | Q(parent__parent=tot)).exclude(
        status="cancelled"
    )
    reached = Enrollment.objects.filter(cohort__in=tree, status="completed")
    assert reached.values("member").distinct().count() == reach.members_reached
    assert len(cascade_tree(root=tot)) == 1 + 21 + 4


def _average_gain(cohorts) -> float:
    gains = []
    for enrollment in Enrollment.objects.filter(cohort__in=cohorts, status="completed"):
        attempts = list(enrollment.assessment_attempts.all())
        pre = [a.score_percent for a in attempts if a.kind == "pre"]
        post = [a.score_percent for a in attempts if a.kind == "post"]
        if pre and post:
            gains.append(float(max(post) - pre[0]))
    return sum(gains) / len(gains)


def test_knowledge_gain_holds_with_a_small_drop_per_generation(demo_accounts):
    tot = Cohort.objects.get(slug=SEED_TOT_HELD)

    gains = [
        _average_gain(Cohort.objects.filter(pk=tot.pk)),
        _average_gain(Cohort.objects.filter(parent=tot)),
        _average_gain(Cohort.objects.filter(parent__parent=tot)),
    ]

    assert gains[0] > gains[1] > gains[2] > 20
    assert gains[0] - gains[2] < 10


def test_the_demo_graduate_has_a_plan_a_completed_cascade_and_a_draft(client, demo_accounts):
    email = demo_accounts["graduate"].email
    assert email == "lulusan@example.org"
    assert client.login(username=email, password=DEMO_PASSWORD)
    graduate = Member.objects.get(user__email=email)
    tot = Cohort.objects.get(slug=SEED_TOT_HELD)
    plan = CascadePlan.objects.get(member=graduate, cohort=tot)
    assert plan.trainings_planned == 2
    assert plan.done_at is None
    led = Cohort.objects.filter(lead_trainers=graduate)
    assert sorted(led.values_list("status", flat=True)) == ["completed", "draft"]
    assert set(led.values_list("cascade_plan", flat=True)) == {plan.pk}
    assert set(cohorts_managed_by(graduate.user)) == set(led)
    draft = led.get(status="draft")
    assert draft.sessions.exists()
    assert client.get(f"/en/cohorts/{draft.slug}/manage/").status_code == 200


def test_the_organizer_sees_the_seed_tots_cascade_tree(client, demo_accounts):
    assert client.login(username=demo_accounts["organizer"].email, password=DEMO_PASSWORD)

    page = client.get(reverse("cohorts:cascade", args=[SEED_TOT_HELD])).content.decode()

    assert "Dialog Sosial di Tempat Kerja – PUK Sriwijaya Baja" in page
    assert "Ahmad Fauzi" in page  # leads a cascade of a KSPI union
    assert "Nurhayati" not in page  # in a KSBSI union: outside a KSPI organizer's reach


def test_loading_the_cascade_story_twice_changes_nothing(demo_accounts):
    models = (
        Cohort,
        Session,
        Enrollment,
        EnrollmentChange,
        Attendance,
        AssessmentAttempt,
        Certificate,
        CascadePlan,
        Notification,
        SessionReport,
        Member,
        User,
    )
    counts = {model.__name__: model.objects.count() for model in models}
    plans = list(CascadePlan.objects.values())

    demo_data_load()

    assert {model.__name__: model.objects.count() for model in models} == counts
    assert list(CascadePlan.objects.values()) == plans


def test_the_graduates_trainer_paths(demo_accounts):
    tot = Cohort.objects.get(slug=SEED_TOT_HELD)
    graduates = Enrollment.objects.filter(cohort=tot, status="completed").values("member_id")

    counts = progression_counts(member_ids=graduates)

    # Led a running or completed cascade: 18 + 1; helped a colleague only: 2; the rest
    # (an open cascade, plans, nothing) are participants so far.
    assert (counts.trainers, counts.co_facilitators, counts.participants) == (19, 2, 4)
    assert counts.ever_co_facilitated == 3


def test_the_demo_graduate_sees_their_place_in_the_cascade(client, demo_accounts):
    assert client.login(username=demo_accounts["graduate"].email, password=DEMO_PASSWORD)
    graduate = Member.objects.get(user__email=demo_accounts["graduate"].email)
    enrollment = Enrollment.objects.get(member=graduate, cohort__slug=SEED_TOT_HELD)

    training = client.get(reverse("cohorts:my_training", args=[enrollment.pk]))
    profile = client.get(reverse("members:profile"))

    assert training.status_code == profile.status_code == 200
    assert "Dialog Sosial di Tempat Kerja – Basis Sawit Linggau" in training.content.decode()
    assert member_progression(member=graduate).stage == Stage.TRAINER


def test_the_demo_graduates_cascade_pages_open(client, demo_accounts):
    assert client.login(username=demo_accounts["graduate"].email, password=DEMO_PASSWORD)
    plan = CascadePlan.objects.get(member__user__email=demo_accounts["graduate"].email)

    trainings = client.get(reverse("cohorts:my_trainings"))
    plan_form = client.get(reverse("cohorts:cascade_plan", args=[SEED_TOT_HELD]))
    start = client.get(reverse("cohorts:cascade_start", args=[plan.pk]))

    assert trainings.status_code == plan_form.status_code == start.status_code == 200
    assert "Dialog Sosial di Tempat Kerja – Basis Sawit Linggau" in trainings.content.decode()


def test_the_organizer_reads_the_seed_tots_plans_and_reach_report(client, demo_accounts):
    assert client.login(username=demo_accounts["organizer"].email, password=DEMO_PASSWORD)

    with translation.override("en"):
        plans = client.get(reverse("cohorts:cascade_plans", args=[SEED_TOT_HELD]))
        report = client.get(reverse("cohorts:reach"), {"tot": SEED_TOT_HELD})
        export = client.get(
            reverse("cohorts:reach_export"), {"tot": SEED_TOT_HELD, "format": "csv"}
        )

    assert plans.status_code == report.status_code == export.status_code == 200
    assert "Ahmad Fauzi" in plans.content.decode()
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert "Summary,Members reached,,Value,286" in lines
    assert "Summary,Multiplier,,Value,10.44" in lines
    gains = [line.rsplit(",", 1)[1] for line in lines if "Average gain (points)" in line]
    assert gains == ["35.4", "33.1", "29.0"]  # the message holds, a little thinner each time
