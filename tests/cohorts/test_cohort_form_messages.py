"""The cohort form's message settings: reminder hours typed as "24, 2" and the follow-up
days, saved through the service; bad input is answered on the form and changes nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from cohorts.models import Cohort
from tests.cohorts.factories import CohortFactory
from tests.cohorts.test_manage_views import _cohort_post
from tests.curriculum.factories import full_curriculum
from tests.members.factories import RegencyFactory

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def test_a_new_cohort_gets_the_default_reminders_and_cadence(client, organizer, organization):
    client.force_login(organizer)
    form = client.get(_url("cohorts:create")).context["form"]

    assert form.initial["reminder_hours"] == "24, 2"
    assert form.initial["follow_up_plan"] == 7
    assert form.initial["follow_up_escalate"] == 90


def test_the_organizer_sets_reminders_and_follow_up_days(client, organizer, organization):
    client.force_login(organizer)
    data = _cohort_post(full_curriculum(owner=organization), organization, RegencyFactory())
    data |= {
        "reminder_hours": "48; 3",
        "follow_up_plan": "5",
        "follow_up_schedule": "20",
        "follow_up_first_session": "",
        "follow_up_escalate": "45",
    }

    response = client.post(_url("cohorts:create"), data)

    assert response.status_code == 302
    cohort = Cohort.objects.get()
    assert cohort.reminder_hours == [48, 3]
    assert cohort.follow_up_days == {"plan": 5, "schedule": 20, "escalate": 45}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reminder_hours": "besok"}, "Give whole hours separated by commas"),
        ({"reminder_hours": "0"}, "A reminder goes out between 1 and 336 hours before."),
        (
            {"follow_up_plan": "30", "follow_up_schedule": "7"},
            "The follow-up steps must come one after the other.",
        ),
    ],
)
def test_bad_settings_are_answered_on_the_form_and_nothing_changes(
    client, organizer, organization, fields, message
):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    client.force_login(organizer)
    data = _cohort_post(cohort.curriculum, organization, cohort.region) | fields

    response = client.post(_url("cohorts:edit", slug=cohort.slug), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.reminder_hours == [24, 2]
    assert cohort.follow_up_days["plan"] == 7


def test_a_post_without_the_message_fields_keeps_the_settings(client, organizer, organization):
    cohort = CohortFactory(
        organizers=[organization],
        status=Cohort.Status.DRAFT,
        reminder_hours=[12],
        follow_up_days={"plan": 10},
    )
    client.force_login(organizer)
    data = _cohort_post(cohort.curriculum, organization, cohort.region)

    assert client.post(_url("cohorts:edit", slug=cohort.slug), data).status_code == 302

    cohort.refresh_from_db()
    assert (cohort.reminder_hours, cohort.follow_up_days) == ([12], {"plan": 10})
