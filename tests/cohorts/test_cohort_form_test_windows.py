"""The cohort form's test windows, post-test attempts and lateness: typed and shown in the
cohort's zone like the registration window, refused with a clear message when a window
closes before it opens (nothing saved), and taken by the services and by duplication."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cohorts.models import Cohort
from cohorts.services.cohorts import cohort_create, cohort_duplicate, cohort_update
from tests.cohorts.factories import CohortFactory
from tests.cohorts.test_manage_views import _cohort_post
from tests.curriculum.factories import full_curriculum
from tests.members.factories import RegencyFactory

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
TEST_FIELDS = {
    "late_after_minutes": "10",
    "pre_test_opens_at": "2027-01-20T08:00",
    "pre_test_closes_at": "2027-02-01T08:00",
    "post_test_opens_at": "2027-02-03T14:00",
    "post_test_closes_at": "2027-02-10T17:00",
    "post_test_max_attempts": "2",
}


def makassar():
    return RegencyFactory(parent__code="73", code="73.98", name="Kota Contoh WITA")


def create_url() -> str:
    with translation.override("en"):
        return reverse("cohorts:create")


def edit_url(cohort: Cohort) -> str:
    with translation.override("en"):
        return reverse("cohorts:edit", kwargs={"slug": cohort.slug})


def test_a_new_cohort_takes_its_test_windows_in_its_zone(client, organizer, organization):
    client.force_login(organizer)
    data = _cohort_post(full_curriculum(owner=organization), organization, makassar())

    response = client.post(create_url(), data | TEST_FIELDS)

    assert response.status_code == 302
    cohort = Cohort.objects.get()
    assert cohort.time_zone == "Asia/Makassar"
    assert cohort.pre_test_opens_at == dt.datetime(2027, 1, 20, 8, tzinfo=WITA)
    assert cohort.pre_test_closes_at == dt.datetime(2027, 2, 1, 8, tzinfo=WITA)
    assert cohort.post_test_opens_at == dt.datetime(2027, 2, 3, 14, tzinfo=WITA)
    assert cohort.post_test_closes_at == dt.datetime(2027, 2, 10, 17, tzinfo=WITA)
    assert (cohort.late_after_minutes, cohort.post_test_max_attempts) == (10, 2)


def test_left_empty_the_windows_stay_empty_and_the_numbers_take_their_defaults(
    client, organizer, organization
):
    client.force_login(organizer)
    data = _cohort_post(full_curriculum(owner=organization), organization, makassar())
    data |= dict.fromkeys(TEST_FIELDS, "")

    assert client.post(create_url(), data).status_code == 302

    cohort = Cohort.objects.get()
    assert cohort.pre_test_opens_at is None
    assert cohort.post_test_closes_at is None
    assert (cohort.late_after_minutes, cohort.post_test_max_attempts) == (15, 3)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pre_test_closes_at", "2027-01-20T08:00", "The pre-test must close after it opens."),
        ("post_test_closes_at", "2027-02-03T13:59", "The post-test must close after it opens."),
        ("post_test_max_attempts", "0", "Ensure this value is greater than or equal to 1."),
        ("post_test_max_attempts", "11", "Ensure this value is less than or equal to 10."),
        ("late_after_minutes", "241", "Ensure this value is less than or equal to 240."),
        ("late_after_minutes", "-5", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_impossible_values_are_refused_with_a_message_and_nothing_is_saved(
    client, organizer, organization, field, value, message
):
    client.force_login(organizer)
    data = _cohort_post(full_curriculum(owner=organization), organization, makassar())

    response = client.post(create_url(), data | TEST_FIELDS | {field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not Cohort.objects.exists()


def test_the_edit_form_shows_and_reads_test_times_in_the_cohorts_zone(
    client, organizer, organization
):
    cohort = CohortFactory(
        organizers=[organization],
        time_zone="Asia/Makassar",
        status=Cohort.Status.DRAFT,
        post_test_opens_at=dt.datetime(2026, 12, 16, 14, tzinfo=WITA),
        late_after_minutes=20,
    )
    client.force_login(organizer)

    page = client.get(edit_url(cohort)).content.decode()
    data = _cohort_post(cohort.curriculum, organization, cohort.region, time_zone="Asia/Makassar")
    data |= {"starts_on": "2026-12-14", "ends_on": "2026-12-16", "registration_closes_at": ""}
    data |= {"post_test_opens_at": "2026-12-16T15:30", "post_test_max_attempts": "5"}
    saved = client.post(edit_url(cohort), data)

    assert 'value="2026-12-16T14:00"' in page
    assert 'name="late_after_minutes" value="20"' in page
    assert "Registration and test times are in the cohort's time zone (WITA)." in page
    assert saved.status_code == 302
    cohort.refresh_from_db()
    assert cohort.post_test_opens_at == dt.datetime(2026, 12, 16, 15, 30, tzinfo=WITA)
    assert cohort.post_test_max_attempts == 5


def test_the_services_refuse_a_test_window_that_closes_before_it_opens(organizer, organization):
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    opens = dt.datetime(2026, 12, 16, 14, tzinfo=WITA)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        cohort_update(
            cohort=cohort, by=organizer, post_test_opens_at=opens, post_test_closes_at=opens
        )

    assert refused.value.message_dict == {
        "post_test_closes_at": ["The post-test must close after it opens."]
    }
    cohort.refresh_from_db()
    assert cohort.post_test_opens_at is None


def test_create_and_duplicate_carry_the_test_settings(organizer, organization):
    source = cohort_create(
        by=organizer,
        title="TOT Makassar",
        curriculum=full_curriculum(owner=organization),
        organizers=[organization],
        region=makassar(),
        starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 2, 3),
        capacity=20,
        late_after_minutes=5,
        post_test_max_attempts=1,
        pre_test_closes_at=dt.datetime(2027, 1, 31, 20, tzinfo=WITA),
        post_test_closes_at=dt.datetime(2027, 2, 10, 17, tzinfo=WITA),
    )

    copy = cohort_duplicate(
        source=source, by=organizer, title="TOT Makassar 2", starts_on=dt.date(2027, 3, 1)
    )

    assert (copy.late_after_minutes, copy.post_test_max_attempts) == (5, 1)
    # 28 days later, same wall-clock time.
    assert copy.pre_test_closes_at == dt.datetime(2027, 2, 28, 20, tzinfo=WITA)
    assert copy.post_test_closes_at == dt.datetime(2027, 3, 10, 17, tzinfo=WITA)
    assert copy.pre_test_opens_at is None
