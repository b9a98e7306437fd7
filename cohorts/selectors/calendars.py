"""What goes into the iCalendar feeds: a public cohort's sessions, and a person's own."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet

from cohorts.models import CalendarFeedToken, Cohort, CohortStatusChange, Enrollment, Session
from cohorts.permissions import sessions_trained_by
from cohorts.selectors import PUBLIC_STATUSES
from curriculum.models import Module
from members.models import Member


def _with_event_relations(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Everything an event shows, in a fixed number of queries; members' contact details
    and NIKs are never loaded."""
    return sessions.select_related("cohort").prefetch_related(
        Prefetch("modules", queryset=Module.objects.only("id", "title", "position")),
        Prefetch("trainers", queryset=Member.objects.only("id", "full_name").order_by("full_name")),
    )


def cohort_feed_get(*, slug: str) -> Cohort:
    """A cohort whose feed anyone may read: the same ones as its public page, and a
    cancelled one that was published, so subscribers' calendars drop its sessions;
    else ``Cohort.DoesNotExist``."""
    once_published = Q(status=Cohort.Status.CANCELLED) & Q(
        pk__in=CohortStatusChange.objects.filter(to_status=Cohort.Status.OPEN).values("cohort_id")
    )
    return Cohort.objects.filter(Q(status__in=PUBLIC_STATUSES) | once_published).get(slug=slug)


def cohort_feed_sessions(*, cohort: Cohort) -> QuerySet[Session]:
    """Every session of the cohort, cancelled ones too: calendar apps remove an event only
    when the feed says STATUS:CANCELLED."""
    return _with_event_relations(Session.objects.filter(cohort=cohort)).order_by("starts_at", "id")


def calendar_feed_owner(*, token: str) -> AbstractBaseUser | None:
    """Whose personal feed a token opens: nobody's for an unknown (or reset) token or a
    deactivated account."""
    feed_token = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed_token.user if feed_token else None


def personal_feed_sessions(*, user: AbstractBaseUser) -> QuerySet[Session]:
    """The sessions in a person's own calendar feed: those they train, and every session
    of the cohorts they have a seat in (confirmed, or completed), in cohorts that are
    published (or were: a cancelled cohort's sessions stay, as cancelled events), so one
    address serves trainers and participants alike.
    """
    trained = sessions_trained_by(user).values("pk")
    seated = Q(status__in=[Enrollment.Status.CONFIRMED, Enrollment.Status.COMPLETED])
    # Cancelling a cohort cancels its enrollments; its events must still come, as cancelled.
    cancelled_with_cohort = Q(
        status=Enrollment.Status.CANCELLED, cohort__status=Cohort.Status.CANCELLED
    )
    seated_in = Enrollment.objects.filter(seated | cancelled_with_cohort, member__user=user)
    seated_in = seated_in.values("cohort_id")
    return (
        _with_event_relations(
            Session.objects.filter(Q(pk__in=trained) | Q(cohort_id__in=seated_in))
        )
        .exclude(cohort__status=Cohort.Status.DRAFT)
        .order_by("starts_at", "id")
    )
