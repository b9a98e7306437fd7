"""Reading cascade plans: who may plan cascades from which training, each plan with how
far it has got, and the plans an organizer follows."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cohorts.models import CascadePlan, Cohort, Enrollment, Session
from cohorts.permissions import cohorts_managed_by
from curriculum.models import Curriculum
from members.models import Member, Organization
from members.selectors import organization_subtree_ids

ACTIVE_CASCADE = ~Q(status=Cohort.Status.CANCELLED)


def cohorts_graduates_may_cascade_from() -> Q:
    """A TOT always; a cascade cohort when its curriculum trains trainers."""
    return Q(kind=Cohort.Kind.TOT) | Q(curriculum__graduates_may_train=True)


def trainings_member_may_cascade_from(*, member: Member) -> QuerySet[Cohort]:
    """The trainings this member completed whose graduates may run cascades."""
    completed = Enrollment.objects.filter(member=member, status=Enrollment.Status.COMPLETED)
    return (
        Cohort.objects.filter(cohorts_graduates_may_cascade_from())
        .filter(pk__in=completed.values("cohort_id"), status=Cohort.Status.COMPLETED)
        .select_related("region__parent", "curriculum")
        .order_by("-ends_on", "title")
    )


def may_cascade_from(*, member: Member, cohort: Cohort) -> bool:
    return trainings_member_may_cascade_from(member=member).filter(pk=cohort.pk).exists()


def cascade_target_organizations(*, member: Member, cohort: Cohort) -> QuerySet[Organization]:
    """Whose members a graduate may plan to train: the organizations in the trees of the
    training's organizers, or in the tree of the graduate's own organization. The target
    organization also organizes the cascade, so its organizers may then change it: a
    graduate cannot hand their cascade to an unrelated union's organizers."""
    roots = [*cohort.organizers.all(), member.organization]
    in_some_tree = Q(pk__in=[])
    for root in roots:
        in_some_tree |= Q(id__in=organization_subtree_ids(root=root))
    return Organization.objects.filter(in_some_tree)


def curricula_for_cascade(*, parent: Cohort) -> list[Curriculum]:
    """What a cascade of ``parent`` may teach: the parent's own curriculum, or the newest
    published shorter cascade version of it (any version of the parent's curriculum)."""
    full = parent.curriculum
    shorter = Curriculum.objects.filter(
        status=Curriculum.Status.PUBLISHED, cascade_of__slug=full.slug
    ).order_by("slug", "-version")
    newest: dict[str, Curriculum] = {}
    for curriculum in shorter:
        newest.setdefault(curriculum.slug, curriculum)
    return [full, *newest.values()]


@dataclass(frozen=True)
class PlanProgress:
    plan: CascadePlan
    cascades: list[Cohort]  # not cancelled, oldest first
    held_sessions: int
    completed_participants: int

    @property
    def trainings_started(self) -> int:
        return len(self.cascades)

    @property
    def trainings_left(self) -> int:
        return max(self.plan.trainings_planned - self.trainings_started, 0)

    @property
    def is_overdue(self) -> bool:
        """Past its date and not marked done (however many trainings were started)."""
        due_on = self.plan.due_on
        return self.plan.done_at is None and due_on is not None and due_on < timezone.localdate()


def _plans_with_progress(plans: QuerySet[CascadePlan]) -> list[PlanProgress]:
    cascades = (
        Cohort.objects.filter(ACTIVE_CASCADE)
        .select_related("region")
        .annotate(
            held_sessions=Count(
                "sessions", filter=Q(sessions__status=Session.Status.HELD), distinct=True
            ),
            completed_participants=Count(
                "enrollments",
                filter=Q(enrollments__status=Enrollment.Status.COMPLETED),
                distinct=True,
            ),
        )
        .order_by("starts_on", "id")
    )
    plans = plans.select_related(
        "member__organization",
        "cohort__region",
        "target_organization",
        "target_region__parent",
    ).prefetch_related(Prefetch("cohorts", queryset=cascades, to_attr="active_cascades"))
    return [
        PlanProgress(
            plan=plan,
            cascades=plan.active_cascades,
            held_sessions=sum(c.held_sessions for c in plan.active_cascades),
            completed_participants=sum(c.completed_participants for c in plan.active_cascades),
        )
        for plan in plans
    ]


def cascade_plans_of_member(*, member: Member) -> list[PlanProgress]:
    return _plans_with_progress(
        CascadePlan.objects.filter(member=member).order_by("-cohort__ends_on", "id")
    )


def cascade_plan_of_member(*, member: Member, pk: int) -> CascadePlan:
    """The member's own plan, else ``CascadePlan.DoesNotExist``."""
    return CascadePlan.objects.select_related(
        "cohort__curriculum", "cohort__region", "target_organization", "target_region"
    ).get(member=member, pk=pk)


def cascade_plan_for_training(*, member: Member, cohort: Cohort) -> CascadePlan | None:
    return CascadePlan.objects.filter(member=member, cohort=cohort).first()


@dataclass(frozen=True)
class TrainingToCascade:
    training: Cohort
    progress: PlanProgress | None  # None: no plan yet


@dataclass(frozen=True)
class MemberCascades:
    """What "my trainings" shows of a member's cascades."""

    trainings: list[TrainingToCascade]
    other_led: list[Cohort]  # cascades they lead that none of their plans lists


def member_cascades(*, member: Member) -> MemberCascades:
    """Each training the member may cascade from with their plan's progress, and the
    cascade trainings they lead besides (a co-lead, or a plan of a training they may no
    longer cascade from); four queries."""
    progress_by_training = {
        progress.plan.cohort_id: progress for progress in cascade_plans_of_member(member=member)
    }
    trainings = [
        TrainingToCascade(training=training, progress=progress_by_training.get(training.pk))
        for training in trainings_member_may_cascade_from(member=member)
    ]
    shown = {
        cascade.pk
        for item in trainings
        if item.progress is not None
        for cascade in item.progress.cascades
    }
    led = (
        Cohort.objects.filter(ACTIVE_CASCADE, kind=Cohort.Kind.CASCADE, lead_trainers=member)
        .select_related("region")
        .order_by("-starts_on", "id")
    )
    return MemberCascades(
        trainings=trainings, other_led=[cohort for cohort in led if cohort.pk not in shown]
    )


def cascade_plans_of_cohort(*, user: AbstractBaseUser, cohort: Cohort) -> list[PlanProgress]:
    """Every graduate's plan for a training the user manages (empty otherwise)."""
    if not cohorts_managed_by(user).filter(pk=cohort.pk).exists():
        return []
    return _plans_with_progress(
        CascadePlan.objects.filter(cohort=cohort).order_by("member__full_name", "id")
    )


def graduates_without_plan(*, cohort: Cohort) -> QuerySet[Member]:
    """Who completed ``cohort`` and has made no cascade plan for it: the ones follow-ups
    chase."""
    graduates = Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.COMPLETED)
    planned = CascadePlan.objects.filter(cohort=cohort)
    return (
        Member.objects.filter(pk__in=graduates.values("member_id"))
        .exclude(pk__in=planned.values("member_id"))
        .select_related("organization")
        .order_by("full_name", "id")
    )
