from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from curriculum.files import allowed_extensions_text
from curriculum.models import Assessment, Curriculum, Material, Module
from members.permissions import organizations_managed_by

LANGUAGE_CHOICES = settings.LANGUAGES


class CurriculumForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = Curriculum
        fields = [
            "title",
            "slug",
            "summary",
            "audience",
            "language",
            "graduates_may_train",
            "cascade_of",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only a published version can be the one a shorter cascade version shortens.
        published = Curriculum.objects.filter(status=Curriculum.Status.PUBLISHED)
        if self.instance.pk:
            published = published.exclude(slug=self.instance.slug)
        self.fields["cascade_of"].queryset = published


class CurriculumCreateForm(CurriculumForm):
    """A new curriculum belongs to an organization the author organizes."""

    class Meta(CurriculumForm.Meta):
        fields = ["owner", *CurriculumForm.Meta.fields]

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organizations_managed_by(user).order_by("name")


class ModuleForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label=_("Methods"),
        choices=Module.Method.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Module
        fields = ["title", "objectives", "duration_minutes", "methods", "facilitator_notes"]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "facilitator_notes": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"objectives": _("One objective per line.")}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    module = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("The whole curriculum"),
    )
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(label=_("Or a link"), required=False, assume_scheme="https")

    def __init__(self, *args, curriculum: Curriculum, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = curriculum.modules.all()
        self.fields["file"].help_text = _("%(types)s; at most %(limit)s MB.") % {
            "types": allowed_extensions_text(),
            "limit": settings.CURRICULUM_MATERIAL_MAX_UPLOAD_MB,
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("Upload a file or give a link, not both."))
        return cleaned


class AssessmentForm(forms.ModelForm):
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100)

    class Meta:
        model = Assessment
        fields = ["pass_mark"]


CHOICE_COUNT = 4


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    choice_1 = forms.CharField(label=_("Answer A"), max_length=500)
    choice_2 = forms.CharField(label=_("Answer B"), max_length=500)
    choice_3 = forms.CharField(label=_("Answer C"), max_length=500, required=False)
    choice_4 = forms.CharField(label=_("Answer D"), max_length=500, required=False)
    correct = forms.TypedChoiceField(
        label=_("Correct answer"),
        choices=[(0, "A"), (1, "B"), (2, "C"), (3, "D")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown after the test: why the answer is right."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        correct = cleaned.get("correct")
        if correct is not None and not cleaned.get(f"choice_{correct + 1}"):
            self.add_error("correct", _("The correct answer cannot be empty."))
        return cleaned

    def service_arguments(self) -> dict:
        return {
            "text": self.cleaned_data["text"],
            "choices": [
                self.cleaned_data.get(f"choice_{n}") or "" for n in range(1, CHOICE_COUNT + 1)
            ],
            "correct": self.cleaned_data["correct"],
            "explanation": self.cleaned_data["explanation"],
        }
