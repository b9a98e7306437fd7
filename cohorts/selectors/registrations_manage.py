"""What the organizer's registration page and its export read."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from phonenumbers import NumberParseException, PhoneNumberFormat, format_number, parse

from cohorts.models import Cohort, Enrollment, RegistrationQuestion
from members.models import Member
from members.permissions import members_visible_to

Status = Enrollment.Status
CANDIDATES_SHOWN = 20


@dataclass(frozen=True)
class RegistrationCounts:
    pending: int
    confirmed: int
    waitlisted: int
    cancelled: int
    rejected: int
    completed: int
    incomplete: int
    capacity: int

    @property
    def active(self) -> int:
        return self.pending + self.confirmed + self.waitlisted + self.completed

    @property
    def free_seats(self) -> int:
        return max(self.capacity - self.confirmed, 0)


def registration_counts(*, cohort: Cohort) -> RegistrationCounts:
    """How many registrations the cohort has in each status, in one query."""
    counts = cohort.enrollments.order_by().aggregate(
        **{status.value: Count("id", filter=Q(status=status)) for status in Status}
    )
    return RegistrationCounts(capacity=cohort.capacity, **counts)


def _phone_e164(text: str) -> str | None:
    """'0812-3456-7890' and '+62 812…' both search as +62812…; None if not a number."""
    try:
        return format_number(parse(text, "ID"), PhoneNumberFormat.E164)
    except NumberParseException:
        return None


def member_matches(text: str, *, prefix: str = "") -> Q:
    """A search by name, member number or phone; ``prefix`` reaches the member through a
    relation ("member__")."""
    text = text.strip()
    matches = Q(**{f"{prefix}full_name__icontains": text})
    matches |= Q(**{f"{prefix}member_number__iexact": text})
    phone = _phone_e164(text)
    if phone:
        matches |= Q(**{f"{prefix}phone": phone})
    return matches


def _waitlist_position() -> Case:
    """1 for the first on the waiting list, and so on (first come, first served); the same
    whatever the list is filtered by, since it counts in the whole cohort."""
    ahead = (
        Enrollment.objects.filter(cohort=OuterRef("cohort"), status=Status.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("cohort")
        .annotate(ahead=Count("id"))
        .values("ahead")
    )
    return Case(
        When(
            status=Status.WAITLISTED,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def cohort_registrations(*, cohort: Cohort) -> QuerySet[Enrollment]:
    """Every registration of the cohort with the member, organization and region, each
    with ``waitlist_position`` and ``unverified_signup`` (registered online by an account
    whose e-mail address nobody has confirmed yet); in one query however many there are."""
    confirmed_address = EmailAddress.objects.filter(user=OuterRef("member__user"), verified=True)
    return (
        cohort.enrollments.select_related("member__organization", "member__region")
        .annotate(
            waitlist_position=_waitlist_position(),
            unverified_signup=Q(source=Enrollment.Source.SELF, member__user__isnull=False)
            & ~Exists(confirmed_address),
        )
        .order_by("registered_at", "id")
    )


def question_label(key: str) -> str:
    try:
        return str(RegistrationQuestion(key).label)
    except ValueError:  # a question no longer offered: its key is all we have
        return key


def enrollment_answers(*, enrollment: Enrollment) -> list[tuple[str, str]]:
    """The registrant's non-empty answers as (question, answer), in the questions' usual
    order; answers to questions the cohort no longer asks are kept."""
    known = [key for key in RegistrationQuestion.values if key in enrollment.answers]
    others = [key for key in enrollment.answers if key not in RegistrationQuestion.values]
    return [
        (question_label(key), str(enrollment.answers[key]))
        for key in known + others
        if enrollment.answers[key] not in ("", None)
    ]


def registration_candidates(
    *, user: AbstractBaseUser, cohort: Cohort, search: str
) -> QuerySet[Member]:
    """Members the organizer may see who match ``search``, each with ``registered_as``: the
    status of their active registration in the cohort, if any."""
    if not search.strip():
        return Member.objects.none()
    active = Enrollment.objects.filter(
        cohort=cohort, member=OuterRef("pk"), status__in=Enrollment.ACTIVE_STATUSES
    ).values("status")[:1]
    return (
        members_visible_to(user)
        .filter(member_matches(search))
        .select_related("organization")
        .annotate(registered_as=Subquery(active))
        .order_by("full_name", "pk")[:CANDIDATES_SHOWN]
    )
