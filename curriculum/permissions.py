"""Who may see, change and download what in the curriculum library.

- published versions: every logged-in account reads them;
- drafts and archived versions: organizers of the owner organization (its subtree reach);
- changes, publishing, new versions: organizers of the owner organization, superusers;
- material files: organizers and trainers in reach of the owner, superusers, and members
  of organizations that organize a cohort running that version.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from cohorts.models import Cohort
from curriculum.models import Curriculum, Material
from members.models import Member
from members.permissions import organizations_managed_by, reach_of

User = AbstractBaseUser | AnonymousUser


def curricula_visible_to(user: User) -> QuerySet[Curriculum]:
    if not user.is_authenticated:
        return Curriculum.objects.none()
    if user.is_superuser:
        return Curriculum.objects.all()
    return Curriculum.objects.filter(
        Q(status=Curriculum.Status.PUBLISHED) | Q(owner__in=organizations_managed_by(user))
    )


def can_create_curriculum(user: User) -> bool:
    return reach_of(user).is_organizer


def can_edit_curriculum(user: User, curriculum: Curriculum) -> bool:
    """Change, publish, archive or make a new version (the state decides which is allowed)."""
    reach = reach_of(user)
    return reach.is_superuser or curriculum.owner_id in reach.organizer_of


def can_view_curriculum(user: User, curriculum: Curriculum) -> bool:
    if not user.is_authenticated:
        return False
    return curriculum.status == Curriculum.Status.PUBLISHED or can_edit_curriculum(user, curriculum)


def can_read_facilitator_notes(user: User) -> bool:
    """Notes are for whoever may run a session: trainers and organizers, not participants."""
    reach = reach_of(user)
    return reach.is_superuser or bool(reach.any_organization)


def can_download_material(user: User, material: Material) -> bool:
    curriculum = material.curriculum
    if not can_view_curriculum(user, curriculum):
        return False
    reach = reach_of(user)
    if reach.is_superuser or curriculum.owner_id in reach.any_organization:
        return True
    # Until enrollments exist, a participant counts as "in a cohort using this version"
    # when their member record belongs to an organization that organizes such a cohort.
    # The enrollment issue replaces this with the member's own confirmed enrollment.
    return Member.objects.filter(
        user=user,
        organization__in=Cohort.objects.filter(curriculum=curriculum).values("organizers"),
    ).exists()
