from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from members.validators import validate_nik


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

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Sector(models.TextChoices):
        MANUFACTURING = "manufacturing", _("Manufacturing")
        GARMENT_TEXTILE = "garment_textile", _("Garment, textile and footwear")
        METAL_ELECTRONICS = "metal_electronics", _("Metal, automotive and electronics")
        CHEMICAL_ENERGY_MINING = "chemical_energy_mining", _("Chemicals, energy and mining")
        PLANTATION_AGRICULTURE = "plantation_agriculture", _("Plantation, agriculture and fishery")
        CONSTRUCTION = "construction", _("Construction")
        TRANSPORT_LOGISTICS = "transport_logistics", _("Transport and logistics")
        TRADE_SERVICES = "trade_services", _("Trade, hotels and services")
        HEALTH_EDUCATION = "health_education", _("Health and education")
        PUBLIC_SECTOR = "public_sector", _("Public sector")
        OTHER = "other", _("Other")

    class Position(models.TextChoices):
        MEMBER = "member", _("Member")
        WORKPLACE_OFFICER = "workplace_officer", _("Workplace union officer (PUK)")
        REGIONAL_OFFICER = "regional_officer", _("Regional council officer (DPW/DPC)")
        FEDERATION_OFFICER = "federation_officer", _("Federation officer")
        CONFEDERATION_OFFICER = "confederation_officer", _("Confederation officer")

    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    full_name = models.CharField(_("full name"), max_length=200)
    phone = PhoneNumberField(_("phone (WhatsApp)"), region="ID", blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    member_number = models.CharField(_("member number"), max_length=40, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[validate_nik])
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    workplace = models.CharField(_("workplace/company"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    position = models.CharField(
        _("union position"), max_length=30, choices=Position.choices, default=Position.MEMBER
    )
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
    preferred_channel = models.CharField(
        _("preferred message channel"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.WHATSAPP,
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    reminders_stopped_at = models.DateTimeField(
        _("reminders and follow-ups stopped at"), null=True, blank=True
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "member_number"],
                condition=~Q(member_number=""),
                name="member_number_unique_in_organization",
                violation_error_message=_(
                    "This organization already has a member with this number."
                ),
            ),
            models.UniqueConstraint(
                fields=["nik"],
                condition=~Q(nik=""),
                name="member_nik_unique",
                violation_error_message=_("Another member already has this NIK."),
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="member_phone_unique",
                violation_error_message=_("Another member already has this phone number."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="member_birth_year_plausible",
                violation_error_message=_("Enter a birth year between 1900 and 2100."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "full_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_nik(self) -> str:
        """1673********0001: region and serial stay readable, the birth date does not."""
        return f"{self.nik[:4]}{'*' * 8}{self.nik[-4:]}" if self.nik else ""

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None


class OrganizationRole(models.Model):
    """An account's role for an organization; it reaches the organization's whole subtree."""

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


class MemberImport(models.Model):
    """One uploaded member list on its way from file to members: map, validate, apply."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Validated")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to="member-imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    default_organization = models.ForeignKey(
        Organization,
        verbose_name=_("default organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="member_imports",
    )
    headers = models.JSONField(_("columns in the file"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    invalid_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    row_errors = models.JSONField(_("errors per row"), default=list)
    failure = models.TextField(_("failure"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def valid_rows(self) -> int:
        return self.total_rows - self.invalid_rows

    @property
    def progress_percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
