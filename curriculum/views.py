"""Curriculum pages. Every object is loaded through the user's scope (other organizations'
drafts are a 404); every change goes through curriculum.services."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from curriculum import services
from curriculum.forms import (
    CHOICE_COUNT,
    AssessmentForm,
    CurriculumCreateForm,
    CurriculumForm,
    MaterialForm,
    ModuleForm,
    QuestionForm,
)
from curriculum.models import Assessment, Curriculum, Material, Module, Question
from curriculum.permissions import (
    can_create_curriculum,
    can_download_material,
    can_edit_curriculum,
    can_read_facilitator_notes,
)
from curriculum.selectors import (
    curriculum_catalogue,
    curriculum_get,
    curriculum_syllabus,
    curriculum_versions,
    material_get,
    module_get,
    question_get,
    total_minutes,
)


def _editable_curriculum(request: HttpRequest, pk: int) -> Curriculum:
    """A version this user may change; others' versions are a 404, as if absent."""
    try:
        curriculum = curriculum_get(user=request.user, pk=pk)
    except Curriculum.DoesNotExist as missing:
        raise Http404 from missing
    if not can_edit_curriculum(request.user, curriculum):
        raise Http404
    return curriculum


def _editable(request: HttpRequest, getter: Callable[..., Any], pk: int) -> Any:
    try:
        obj = getter(user=request.user, pk=pk)
    except (Module.DoesNotExist, Material.DoesNotExist, Question.DoesNotExist) as missing:
        raise Http404 from missing
    curriculum = obj.assessment.curriculum if isinstance(obj, Question) else obj.curriculum
    if not can_edit_curriculum(request.user, curriculum):
        raise Http404
    return obj


def _frozen(request: HttpRequest, curriculum: Curriculum) -> HttpResponse | None:
    """An edit page of a version that is no longer a draft sends the reader to the syllabus.

    A POST still goes to the service, which refuses it with its own message."""
    if request.method == "POST" or curriculum.is_editable:
        return None
    messages.info(
        request, _("This version is frozen. Make a new version to change the curriculum.")
    )
    return redirect("curriculum:detail", pk=curriculum.pk)


def _attempt(request: HttpRequest, action: Callable[[], Any], form=None) -> Any:
    """Run a service; its refusal becomes a message (or a form error), never a 500."""
    try:
        return action()
    except ValidationError as refused:
        if form is not None:
            form.add_error(None, refused)
        else:
            for message in refused.messages:
                messages.error(request, message)
        return None


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    context = {
        "curricula": curriculum_catalogue(user=request.user),
        "can_create": can_create_curriculum(request.user),
    }
    return render(request, "curriculum/curriculum_list.html", context)


def _syllabus_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    try:
        curriculum = curriculum_syllabus(user=request.user, pk=pk)
    except Curriculum.DoesNotExist as missing:
        raise Http404 from missing
    can_edit = can_edit_curriculum(request.user, curriculum)
    try:
        assessment = curriculum.assessment
    except Assessment.DoesNotExist:
        assessment = None
    return {
        "curriculum": curriculum,
        "modules": curriculum.modules.all(),
        "assessment": assessment,
        "total_minutes": total_minutes(curriculum),
        "can_edit": can_edit,
        "editing": can_edit and curriculum.is_editable,
        "show_facilitator_notes": can_read_facilitator_notes(request.user),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = _syllabus_context(request, pk)
    context["versions"] = curriculum_versions(user=request.user, curriculum=context["curriculum"])
    return render(request, "curriculum/curriculum_detail.html", context)


@login_required
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "curriculum/curriculum_print.html", _syllabus_context(request, pk))


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not can_create_curriculum(request.user):
        raise Http404
    form = CurriculumCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        curriculum = _attempt(
            request,
            lambda: services.curriculum_create(user=request.user, owner=owner, data=data),
            form,
        )
        if curriculum is not None:
            messages.success(request, _("Curriculum created as a draft."))
            return redirect("curriculum:detail", pk=curriculum.pk)
    return render(request, "curriculum/curriculum_form.html", {"form": form})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    if frozen := _frozen(request, curriculum):
        return frozen
    form = CurriculumForm(request.POST or None, instance=curriculum)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: services.curriculum_update(user=request.user, curriculum=curriculum, data=data),
            form,
        )
        if done is not None:
            messages.success(request, _("Changes saved."))
            return redirect("curriculum:detail", pk=pk)
    context = {"form": form, "curriculum": curriculum}
    return render(request, "curriculum/curriculum_form.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    action = partial(services.curriculum_publish, user=request.user, curriculum=curriculum)
    if _attempt(request, action) is not None:
        messages.success(request, _("Published. This version can no longer be changed."))
    return redirect("curriculum:detail", pk=pk)


@login_required
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    action = partial(services.curriculum_archive, user=request.user, curriculum=curriculum)
    if _attempt(request, action) is not None:
        messages.success(request, _("Archived."))
    return redirect("curriculum:detail", pk=pk)


@login_required
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    action = partial(services.curriculum_new_version, user=request.user, curriculum=curriculum)
    copy = _attempt(request, action)
    if copy is None:
        return redirect("curriculum:detail", pk=pk)
    message = _("Version %(version)s is a draft copy; change it here.")
    messages.success(request, message % {"version": copy.version})
    return redirect("curriculum:detail", pk=copy.pk)


@login_required
def module_create(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    if frozen := _frozen(request, curriculum):
        return frozen
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        module = _attempt(
            request,
            lambda: services.module_create(user=request.user, curriculum=curriculum, data=data),
            form,
        )
        if module is not None:
            return redirect(f"{curriculum_url(curriculum)}#module-{module.pk}")
    context = {"form": form, "curriculum": curriculum}
    return render(request, "curriculum/module_form.html", context)


def curriculum_url(curriculum: Curriculum) -> str:
    return reverse("curriculum:detail", kwargs={"pk": curriculum.pk})


@login_required
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = _editable(request, module_get, pk)
    if frozen := _frozen(request, module.curriculum):
        return frozen
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: services.module_update(user=request.user, module=module, data=data),
            form,
        )
        if done is not None:
            return redirect(f"{curriculum_url(module.curriculum)}#module-{module.pk}")
    context = {"form": form, "curriculum": module.curriculum, "module": module}
    return render(request, "curriculum/module_form.html", context)


@login_required
@require_POST
def module_move(request: HttpRequest, pk: int) -> HttpResponse:
    module = _editable(request, module_get, pk)
    direction = request.POST.get("direction", "")
    _attempt(
        request,
        lambda: services.module_move(user=request.user, module=module, direction=direction),
    )
    return redirect(f"{curriculum_url(module.curriculum)}#module-{module.pk}")


@login_required
@require_POST
def module_delete(request: HttpRequest, pk: int) -> HttpResponse:
    module = _editable(request, module_get, pk)
    _attempt(request, lambda: services.module_delete(user=request.user, module=module))
    return redirect("curriculum:detail", pk=module.curriculum_id)


@login_required
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    if frozen := _frozen(request, curriculum):
        return frozen
    form = MaterialForm(request.POST or None, request.FILES or None, curriculum=curriculum)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload, module = data.pop("file"), data.pop("module")
        material = _attempt(
            request,
            lambda: services.material_create(
                user=request.user, curriculum=curriculum, module=module, data=data, upload=upload
            ),
            form,
        )
        if material is not None:
            messages.success(request, _("Material added."))
            return redirect("curriculum:detail", pk=pk)
    context = {"form": form, "curriculum": curriculum}
    return render(request, "curriculum/material_form.html", context)


@login_required
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    """Files are only ever served here, after the permission check (never from MEDIA_URL)."""
    try:
        material = material_get(user=request.user, pk=pk)
    except Material.DoesNotExist as missing:
        raise Http404 from missing
    if not material.is_file or not can_download_material(request.user, material):
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=material.original_filename)


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = _editable(request, material_get, pk)
    _attempt(request, lambda: services.material_delete(user=request.user, material=material))
    return redirect("curriculum:detail", pk=material.curriculum_id)


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    if frozen := _frozen(request, curriculum):
        return frozen
    assessment = Assessment.objects.filter(curriculum=curriculum).first()
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        pass_mark = form.cleaned_data["pass_mark"]
        done = _attempt(
            request,
            lambda: services.assessment_save(
                user=request.user, curriculum=curriculum, pass_mark=pass_mark
            ),
            form,
        )
        if done is not None:
            messages.success(request, _("Pass mark saved."))
            return redirect("curriculum:assessment", pk=pk)
    questions = assessment.questions.prefetch_related("choices") if assessment else []
    context = {"form": form, "curriculum": curriculum, "questions": questions}
    return render(request, "curriculum/assessment_form.html", context)


@login_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    curriculum = _editable_curriculum(request, pk)
    if frozen := _frozen(request, curriculum):
        return frozen
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = _attempt(request, lambda: _question_create(request, curriculum, form), form)
        if question is not None:
            messages.success(request, _("Question added."))
            return redirect("curriculum:assessment", pk=pk)
    context = {"form": form, "curriculum": curriculum}
    return render(request, "curriculum/question_form.html", context)


def _question_create(request: HttpRequest, curriculum: Curriculum, form: QuestionForm) -> Question:
    assessment = Assessment.objects.filter(curriculum=curriculum).first()
    if assessment is None:
        assessment = services.assessment_save(
            user=request.user, curriculum=curriculum, pass_mark=Assessment().pass_mark
        )
    return services.question_create(
        user=request.user, assessment=assessment, **form.service_arguments()
    )


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = _editable(request, question_get, pk)
    curriculum = question.assessment.curriculum
    if frozen := _frozen(request, curriculum):
        return frozen
    form = QuestionForm(request.POST or None, initial=_question_initial(question))
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.question_update(
                user=request.user, question=question, **form.service_arguments()
            ),
            form,
        )
        if done is not None:
            messages.success(request, _("Question saved."))
            return redirect("curriculum:assessment", pk=curriculum.pk)
    context = {"form": form, "curriculum": curriculum, "question": question}
    return render(request, "curriculum/question_form.html", context)


def _question_initial(question: Question) -> dict[str, Any]:
    initial: dict[str, Any] = {"text": question.text, "explanation": question.explanation}
    for position, choice in enumerate(question.choices.all()[:CHOICE_COUNT]):
        initial[f"choice_{position + 1}"] = choice.text
        if choice.is_correct:
            initial["correct"] = position
    return initial


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = _editable(request, question_get, pk)
    _attempt(request, lambda: services.question_delete(user=request.user, question=question))
    return redirect("curriculum:assessment", pk=question.assessment.curriculum_id)
