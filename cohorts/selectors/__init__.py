from collections.abc import Iterable

from django.db.models import QuerySet

from cohorts.models import Cohort
from members.models import Organization

PUBLIC_STATUSES = [Cohort.Status.OPEN, Cohort.Status.RUNNING, Cohort.Status.COMPLETED]


def _with_listing_relations(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.select_related("region__parent", "curriculum").prefetch_related("organizers")


def cohorts_open_for_registration() -> QuerySet[Cohort]:
    return _with_listing_relations(Cohort.objects.open_for_registration())


def cohort_public_get(*, slug: str) -> Cohort:
    """A cohort anyone may read; drafts and cancelled ones raise ``Cohort.DoesNotExist``."""
    return _with_listing_relations(Cohort.objects.filter(status__in=PUBLIC_STATUSES)).get(slug=slug)


def cohorts_organized_by(*, organizations: Iterable[Organization]) -> QuerySet[Cohort]:
    return _with_listing_relations(Cohort.objects.organized_by(organizations)).order_by(
        "-starts_on"
    )
