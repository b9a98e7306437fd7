import pytest
from django.urls import reverse

from tests.curriculum.factories import full_curriculum
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["curriculum", "module", "material", "assessment", "question"])
@pytest.mark.parametrize("publish", [True, False])
def test_admin_lists_and_opens_every_model(client, model, publish):
    curriculum = full_curriculum(publish=publish)
    objects = {
        "curriculum": curriculum,
        "module": curriculum.modules.first(),
        "material": curriculum.materials.first(),
        "assessment": curriculum.assessment,
        "question": curriculum.assessment.questions.first(),
    }
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    changelist = client.get(reverse(f"admin:curriculum_{model}_changelist"), {"q": "a"})
    change = client.get(reverse(f"admin:curriculum_{model}_change", args=[objects[model].pk]))

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert b'name="_save"' not in change.content, "authoring happens on the pages"
    assert f"admin/curriculum/{model}/add/".encode() not in changelist.content


def test_markdown_notes_are_sanitised():
    from curriculum.markdown import render_markdown

    html = render_markdown(
        "**tebal** <script>alert(1)</script> [tautan](javascript:alert(1)) "
        '<a href="https://example.org" onclick="x()">ok</a> <img src=x onerror=alert(1)>'
    )

    assert "<strong>tebal</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert 'href="https://example.org"' in html


def test_admin_actions_go_through_the_services(client):
    from curriculum.models import Curriculum
    from tests.curriculum.factories import DraftCurriculumFactory

    ready = full_curriculum(publish=False)
    empty = DraftCurriculumFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:curriculum_curriculum_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )

    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.status == Curriculum.Status.PUBLISHED
    assert empty.status == Curriculum.Status.DRAFT
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
