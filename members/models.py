from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A province or regency/city, keyed by its Kemendagri code (16, 16.73)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency/city")

    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regencies",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | Q(level="regency", parent__isnull=False),
                name="region_province_is_root_regency_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """A node of the union structure: confederation > federation > council > PUK."""

    class Kind(models.TextChoices):
        CONFEDERATION = "confederation", _("Confederation")
        FEDERATION = "federation", _("Federation")
        REGIONAL_COUNCIL = "regional_council", _("Regional council (DPW/DPC)")
        WORKPLACE_UNION = "workplace_union", _("Workplace union (PUK/basis)")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "short_name"],
                name="organization_short_name_unique_under_parent",
            ),
            models.UniqueConstraint(
                fields=["short_name"],
                condition=Q(parent__isnull=True),
                name="organization_root_short_name_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind="confederation", parent__isnull=True) | ~Q(kind="confederation"),
                name="organization_confederation_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class Member(models.Model):
    """A person's union record; participants are members linked to an account."""

    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone (WhatsApp)"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="id"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.full_name


class OrganizationRole(models.Model):
    """An account's role for an organization (and, in time, its whole subtree)."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        TRAINER = "trainer", _("Trainer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="organization_roles",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("organization role")
        verbose_name_plural = _("organization roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="organization_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"
