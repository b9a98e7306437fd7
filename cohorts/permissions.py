"""Who may see and change which cohort and session.

- organizers change the cohorts that an organization in their reach organizes (several
  confederations may organize one cohort; each one's organizers may change it);
- a trainer sees the sessions they are assigned to and the cohorts they lead;
- anyone sees cohorts that are open, running or completed (drafts and cancelled ones
  stay with their organizers).
"""

from django.db.models import QuerySet

from cohorts.models import Cohort, Session
from members.models import Member
from members.permissions import User, organizations_managed_by, reach_of


def cohorts_managed_by(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    organizations = organizations_managed_by(user)
    return Cohort.objects.filter(
        id__in=Cohort.objects.filter(organizers__in=organizations).values("id")
    )


def can_create_cohort(user: User) -> bool:
    return reach_of(user).is_organizer


def can_change_cohort(user: User, cohort: Cohort) -> bool:
    return cohorts_managed_by(user).filter(pk=cohort.pk).exists()


def sessions_trained_by(user: User) -> QuerySet[Session]:
    if not user.is_authenticated:
        return Session.objects.none()
    return Session.objects.filter(trainers__in=Member.objects.filter(user=user))


def can_take_attendance(user: User, session: Session) -> bool:
    """The session's own trainers and the organizers of its cohort."""
    if not user.is_authenticated:
        return False
    if session.trainers.filter(user=user).exists():
        return True
    return cohorts_managed_by(user).filter(pk=session.cohort_id).exists()
