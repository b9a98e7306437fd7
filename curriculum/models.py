from django.db import models
from django.utils.translation import gettext_lazy as _


class Curriculum(models.Model):
    """One version of a curriculum; a published version is what cohorts run."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="id")
    owner = models.ForeignKey(
        "members.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="curricula",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        ordering = ["title", "-version"]
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="curriculum_slug_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
