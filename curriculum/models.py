import uuid
from pathlib import PurePath

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from curriculum.markdown import render_markdown


class CurriculumQuerySet(models.QuerySet):
    def published(self) -> "CurriculumQuerySet":
        return self.filter(status=Curriculum.Status.PUBLISHED)


class Curriculum(models.Model):
    """One version of a curriculum; a published version is what cohorts run.

    Only a draft can change. The services refuse edits to other versions, and on
    Postgres a trigger (migration 0002) refuses them as well.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    version = models.PositiveIntegerField(_("version"), default=1)
    summary = models.TextField(_("summary"), blank=True)
    audience = models.TextField(_("audience"), blank=True)
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
    graduates_may_train = models.BooleanField(
        _("graduates may train others"),
        default=False,
        help_text=_(
            "Graduates of a cascade training of this curriculum may plan and run cascades "
            "of their own (a TOT's graduates always may)."
        ),
    )
    cascade_of = models.ForeignKey(
        "self",
        verbose_name=_("shorter cascade version of"),
        help_text=_("Graduates of a TOT on that curriculum may run this one instead."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cascade_versions",
    )

    objects = CurriculumQuerySet.as_manager()

    class Meta:
        ordering = ["title", "-version"]
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="curriculum_slug_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Module(models.Model):
    class Method(models.TextChoices):
        LECTURE = "lecture", _("Lecture")
        DISCUSSION = "discussion", _("Discussion")
        ROLE_PLAY = "role_play", _("Role-play")
        GROUP_WORK = "group_work", _("Group work")
        SIMULATION = "simulation", _("Simulation")
        FIELD_PRACTICE = "field_practice", _("Field practice")

    curriculum = models.ForeignKey(
        Curriculum, verbose_name=_("curriculum"), on_delete=models.CASCADE, related_name="modules"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("learning objectives"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    methods = models.JSONField(_("methods"), default=list, blank=True)
    facilitator_notes = models.TextField(
        _("facilitator notes"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="module_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def method_labels(self) -> list[str]:
        labels = dict(self.Method.choices)
        return [str(labels.get(method, method)) for method in self.methods]

    @property
    def facilitator_notes_html(self) -> str:
        return render_markdown(self.facilitator_notes)

    @property
    def objective_lines(self) -> list[str]:
        return [line.strip(" -•*") for line in self.objectives.splitlines() if line.strip()]


def material_upload_to(material: "Material", filename: str) -> str:
    """A generated name: the uploader's file name is display text only, never a path."""
    suffix = PurePath(filename).suffix.lower()
    return f"curriculum/materials/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        HANDOUT = "handout", _("Handout")
        WORKSHEET = "worksheet", _("Worksheet")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link")

    curriculum = models.ForeignKey(
        Curriculum,
        verbose_name=_("curriculum"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        on_delete=models.CASCADE,
        related_name="materials",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5, default="id")
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)

    class Meta:
        ordering = ["module__position", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class Assessment(models.Model):
    """The curriculum's multiple-choice test, taken before (pre-test) and after (post-test)."""

    curriculum = models.OneToOneField(
        Curriculum,
        verbose_name=_("curriculum"),
        on_delete=models.CASCADE,
        related_name="assessment",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("Share of correct answers needed to pass.")
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=1, pass_mark__lte=100), name="assessment_pass_mark_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.curriculum)


class Question(models.Model):
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_correct=True), name="choice_one_correct"
            ),
        ]

    def __str__(self) -> str:
        return self.text
