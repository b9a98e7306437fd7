"""The answer sheet of a test: one radio list per question. The form checks the shape
(every question answered with one of its own choices); scoring and whether the test may be
taken now are ``cohorts.services.assessments``' to decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.selectors.assessments_taking import AssessmentPaper

FIELD_PREFIX = "question_"


class AssessmentAnswersForm(forms.Form):
    def __init__(self, *args, paper: AssessmentPaper, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.paper = paper
        for question in paper.questions:
            self.fields[f"{FIELD_PREFIX}{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(choice.pk, choice.text) for choice in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("Choose one of the answers given."),
                },
            )

    def numbered_fields(self) -> list[tuple[int, forms.BoundField]]:
        """(number, field) for each question, in the paper's order."""
        return [(number, self[name]) for number, name in enumerate(self.fields, start=1)]

    def answers(self) -> dict[int, int]:
        """Question id → chosen choice id, from ``cleaned_data``."""
        return {
            int(name.removeprefix(FIELD_PREFIX)): choice
            for name, choice in self.cleaned_data.items()
            if name.startswith(FIELD_PREFIX)
        }
