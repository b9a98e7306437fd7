"""Who may see and change which cohort and session.

- organizers change the cohorts that an organization in their reach organizes (several
  confederations may organize one cohort; each one's organizers may change it);
- a trainer sees the sessions they are assigned to and the cohorts they lead;
- a graduate who leads a cascade training runs it like an organizer (schedule,
  registrations, attendance, completion) without needing an organizer's role; the
  organizers of its organizations (the parent's) see and change it too;
- anyone sees cohorts that are open, running or completed (drafts and cancelled ones
  stay with their organizers).
"""

from django.db.models import Q, QuerySet

from cohorts.models import Cohort, Session
from members.models import Member
from members.permissions import User, organizations_managed_by, reach_of


def cohorts_managed_by(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    organizations = organizations_managed_by(user)
    organized = Cohort.objects.filter(organizers__in=organizations).values("id")
    led_cascades = Cohort.objects.filter(kind=Cohort.Kind.CASCADE, lead_trainers__user=user).values(
        "id"
    )
    return Cohort.objects.filter(Q(id__in=organized) | Q(id__in=led_cascades))


def is_cohort_organizer(user: User, cohort: Cohort) -> bool:
    """An organizer of one of the cohort's organizations (not only its lead trainer).
    Reads the user's cached reach and the cohort's (often prefetched) organizers."""
    reach = reach_of(user)
    if reach.is_superuser:
        return True
    return any(organization.pk in reach.organizer_of for organization in cohort.organizers.all())


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
