"""Reading cascade plans: who may plan cascades from which training, each plan with how
far it has got, and the plans an organizer follows."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet

from cohorts.models import CascadePlan, Cohort, Enrollment, Session
from cohorts.permissions import cohorts_managed_by
from curriculum.models import Curriculum
from members.models import Member

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


def cascade_plans_of_cohort(*, user: AbstractBaseUser, cohort: Cohort) -> list[PlanProgress]:
    """Every graduate's plan for a training the user manages (empty otherwise)."""
    if not cohorts_managed_by(user).filter(pk=cohort.pk).exists():
        return []
    return _plans_with_progress(
        CascadePlan.objects.filter(cohort=cohort).order_by("member__full_name", "id")
    )
