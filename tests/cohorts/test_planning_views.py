import datetime as dt

import pytest
from django.urls import reverse

from cohorts.models import Cohort, Session
from curriculum.models import Curriculum
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.curriculum.factories import DraftCurriculumFactory, ModuleFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 14)
PLAN = {
    "start_date": "2026-12-14",
    "day_start": "08:30",
    "day_end": "16:30",
    "breaks": "10:00-10:15, 12:00-13:00, 15:00-15:15",
    "weekdays": ["0", "1", "2", "3", "4", "5"],
    "room": "Ruang Melati",
}


def planned_cohort(organization, *durations: int, **fields) -> Cohort:
    curriculum = DraftCurriculumFactory()
    for position, minutes in enumerate(durations, start=1):
        ModuleFactory(
            curriculum=curriculum,
            position=position,
            title=f"Modul {position}",
            duration_minutes=minutes,
        )
    curriculum.status = Curriculum.Status.PUBLISHED
    curriculum.save(update_fields=["status"])
    return CohortFactory(
        organizers=[organization], curriculum=curriculum, **{"starts_on": MONDAY, **fields}
    )


def plan_url(cohort: Cohort) -> str:
    return reverse("cohorts:session_plan", kwargs={"slug": cohort.slug})


@pytest.fixture
def trainer_member(trainer, organization):
    return MemberFactory(user=trainer, organization=organization, full_name="Budi Santoso")


def as_post_value(value):
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def rows_data(response) -> dict:
    """The proposal as the browser sends it back, unchanged."""
    formset = response.context["formset"]
    data = {
        f"{formset.prefix}-{name}": value for name, value in formset.management_form.initial.items()
    }
    for form in formset.forms:
        for name, value in form.initial.items():
            data[form.add_prefix(name)] = as_post_value(value)
    return data


def propose(client, cohort, **plan):
    return client.post(plan_url(cohort), {**PLAN, **plan, "action": "propose"})


def test_the_form_starts_on_the_cohorts_first_day_with_its_trainers_to_choose(
    client, organizer, organization, trainer_member
):
    lead = MemberFactory(organization=OrganizationFactory(), full_name="Ani Lestari")
    cohort = planned_cohort(organization, 90)
    cohort.lead_trainers.set([lead])
    MemberFactory(organization=organization, full_name="Anggota Biasa")
    stranger = UserFactory()
    OrganizationRoleFactory(user=stranger, organization=OrganizationFactory(), role="trainer")
    MemberFactory(user=stranger, full_name="Pelatih Lain")
    client.force_login(organizer)

    response = client.get(plan_url(cohort))

    assert response.status_code == 200
    form = response.context["plan_form"]
    assert form["start_date"].value() == MONDAY
    assert form["trainers"].value() == [lead.pk]
    names = [label for _, label in form.fields["trainers"].choices]
    assert [name.split(" · ")[0] for name in names] == ["Ani Lestari", "Budi Santoso"]
    assert "formset" not in response.context


def test_weekdays_default_to_monday_to_saturday_and_the_cohorts_own_days(
    client, organizer, organization
):
    weekdays_only = planned_cohort(organization, 60)  # Monday to Wednesday
    over_a_weekend = planned_cohort(organization, 60, starts_on=dt.date(2026, 12, 19))
    client.force_login(organizer)

    def initial_weekdays(cohort):
        return client.get(plan_url(cohort)).context["plan_form"]["weekdays"].value()

    assert initial_weekdays(weekdays_only) == [0, 1, 2, 3, 4, 5]
    assert initial_weekdays(over_a_weekend) == [0, 1, 2, 3, 4, 5, 6]


def test_propose_shows_one_row_per_module_with_the_defaults(
    client, organizer, organization, trainer_member
):
    cohort = planned_cohort(organization, 90, 150)
    client.force_login(organizer)

    response = propose(client, cohort, trainers=[trainer_member.pk])

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.form.initial["title"] for row in rows] == [
        "Modul 1",
        "Modul 2 (1/2)",
        "Modul 2 (2/2)",
    ]
    assert [row.form.initial["start_time"] for row in rows] == [
        dt.time(8, 30),
        dt.time(10, 15),
        dt.time(13, 0),
    ]
    assert {row.form.initial["room"] for row in rows} == {"Ruang Melati"}
    assert all(row.form.initial["trainers"] == [trainer_member.pk] for row in rows)
    assert [[module.title for module in row.modules] for row in rows] == [
        ["Modul 1"],
        ["Modul 2"],
        ["Modul 2"],
    ]
    assert all(row.clashes == [] for row in rows)
    assert "Modul 2 (2/2)" in response.content.decode()
    assert not Session.objects.exists()


def test_save_creates_the_sessions_in_the_cohorts_zone(
    client, organizer, organization, trainer_member
):
    cohort = planned_cohort(organization, 90, 150, time_zone=Cohort.TimeZone.WITA)
    client.force_login(organizer)
    proposal = propose(client, cohort, trainers=[trainer_member.pk])
    data = {**PLAN, **rows_data(proposal), "action": "save"}
    data["sessions-0-title"] = "Pembukaan dan Modul 1"

    response = client.post(plan_url(cohort), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:manage_detail", kwargs={"slug": cohort.slug})
    sessions = list(cohort.sessions.order_by("starts_at"))
    assert [session.title for session in sessions] == [
        "Pembukaan dan Modul 1",
        "Modul 2 (1/2)",
        "Modul 2 (2/2)",
    ]
    # 08:30 WITA is 00:30 UTC.
    assert sessions[0].starts_at == dt.datetime(2026, 12, 14, 0, 30, tzinfo=dt.UTC)
    assert sessions[2].ends_at == dt.datetime(2026, 12, 14, 5, 45, tzinfo=dt.UTC)
    second_module = cohort.curriculum.modules.get(position=2)
    assert list(sessions[1].modules.all()) == [second_module]
    assert list(sessions[2].modules.all()) == [second_module]
    assert all(list(session.trainers.all()) == [trainer_member] for session in sessions)
    assert {session.room for session in sessions} == {"Ruang Melati"}


def test_a_row_left_out_is_not_saved(client, organizer, organization):
    cohort = planned_cohort(organization, 60, 60)
    client.force_login(organizer)
    data = {**PLAN, **rows_data(propose(client, cohort)), "action": "save"}
    data["sessions-1-DELETE"] = "on"

    client.post(plan_url(cohort), data)

    assert list(cohort.sessions.values_list("title", flat=True)) == ["Modul 1"]


def test_a_trainer_busy_in_another_cohort_blocks_the_save_and_keeps_the_entries(
    client, organizer, organization, trainer_member
):
    cohort = planned_cohort(organization, 90, 90)
    elsewhere = CohortFactory(title="TOT Palembang", organizers=[OrganizationFactory()])
    SessionFactory(
        cohort=elsewhere,
        title="Sesi Negosiasi",
        starts_at=dt.datetime(2026, 12, 14, 2, 0, tzinfo=dt.UTC),  # 09:00 WIB
        ends_at=dt.datetime(2026, 12, 14, 3, 0, tzinfo=dt.UTC),
        trainers=[trainer_member],
    )
    client.force_login(organizer)
    proposal = propose(client, cohort, trainers=[trainer_member.pk])
    assert proposal.context["rows"][0].clashes  # already shown when proposing
    data = {**PLAN, **rows_data(proposal), "action": "save"}
    data["sessions-1-title"] = "Judul yang diubah"

    response = client.post(plan_url(cohort), data)

    assert response.status_code == 200
    assert not cohort.sessions.exists()
    [error] = response.context["save_errors"]
    assert "Budi Santoso" in error
    assert "“Sesi Negosiasi” (TOT Palembang)" in error
    rows = response.context["rows"]
    assert rows[0].clashes == [error]
    assert rows[1].clashes == []
    page = response.content.decode()
    assert "Tidak ada yang disimpan" in page
    assert 'value="Judul yang diubah"' in page


def test_check_shows_a_clash_between_two_edited_rows_on_both(client, organizer, organization):
    cohort = planned_cohort(organization, 60, 60)
    client.force_login(organizer)
    data = {**PLAN, **rows_data(propose(client, cohort)), "action": "check"}
    data["sessions-1-start_time"] = "09:00"
    data["sessions-1-end_time"] = "10:00"

    response = client.post(plan_url(cohort), data)

    rows = response.context["rows"]
    assert len(rows[0].clashes) == 1
    assert rows[0].clashes == rows[1].clashes
    assert "bertumpang tindih dengan “Modul 2” dari kohort yang sama" in rows[0].clashes[0]
    assert not cohort.sessions.exists()


def test_a_plan_past_the_cohorts_last_day_is_shown_but_not_saved(client, organizer, organization):
    cohort = planned_cohort(organization, 390, 390, 390, 60)  # three full days and a bit
    client.force_login(organizer)

    proposal = propose(client, cohort)
    data = {**PLAN, **rows_data(proposal), "action": "save"}
    response = client.post(plan_url(cohort), data)

    assert proposal.context["last_day"] == MONDAY + dt.timedelta(days=3)
    assert "berada di luar tanggal kohort" in proposal.context["rows"][-1].clashes[0]
    assert response.status_code == 200
    assert "berada di luar tanggal kohort" in response.context["save_errors"][0]
    assert not cohort.sessions.exists()


def test_a_session_ending_before_it_starts_is_refused(client, organizer, organization):
    cohort = planned_cohort(organization, 60)
    client.force_login(organizer)
    data = {**PLAN, **rows_data(propose(client, cohort)), "action": "save"}
    data["sessions-0-end_time"] = "08:00"

    response = client.post(plan_url(cohort), data)

    assert response.status_code == 200
    assert response.context["rows"][0].form.errors == {
        "end_time": ["Sesi harus selesai setelah dimulai."]
    }
    assert not cohort.sessions.exists()


@pytest.mark.parametrize(
    ("plan", "field", "message"),
    [
        (
            {"breaks": "10:00 sampai 10:15"},
            "breaks",
            (
                "Tulis setiap jeda sebagai mulai-selesai, misalnya 10:00-10:15; "
                "“10:00 sampai 10:15” tidak sesuai."
            ),
        ),
        ({"breaks": "25:00-25:30"}, "breaks", "“25:00-25:30” memuat jam yang tidak ada."),
        (
            {"breaks": "10:00-10:15, 10:10-10:30"},
            "breaks",
            "Jeda 10:00–10:15 dan 10:10–10:30 bertumpang tindih.",
        ),
        (
            {"breaks": "17:00-17:30"},
            "breaks",
            "Jeda 17:00–17:30 berada di luar jam hari itu (08:30–16:30).",
        ),
        ({"day_end": "08:00"}, "day_end", "Hari harus selesai setelah dimulai."),
        ({"weekdays": []}, "weekdays", "Pilih paling sedikit satu hari dalam seminggu."),
    ],
)
def test_a_bad_plan_shows_the_message_on_its_field(
    client, organizer, organization, plan, field, message
):
    cohort = planned_cohort(organization, 60)
    client.force_login(organizer)

    response = propose(client, cohort, **plan)

    assert response.status_code == 200
    assert response.context["plan_form"].errors == {field: [message]}
    assert "formset" not in response.context


def test_breaks_may_be_written_with_dots(client, organizer, organization):
    cohort = planned_cohort(organization, 120)
    client.force_login(organizer)

    response = propose(client, cohort, breaks="10.00–10.15; 12.00-13.00")

    assert [row.form.initial["title"] for row in response.context["rows"]] == [
        "Modul 1 (1/2)",
        "Modul 1 (2/2)",
    ]


def test_a_curriculum_without_modules_says_so(client, organizer, organization):
    cohort = CohortFactory(
        organizers=[organization], curriculum=DraftCurriculumFactory(title="Kosong")
    )
    client.force_login(organizer)

    response = propose(client, cohort)

    assert response.context["plan_form"].non_field_errors() == [
        "Kurikulum “Kosong” tidak punya modul untuk direncanakan."
    ]


def test_another_organizations_organizer_gets_404(client, organization):
    cohort = planned_cohort(organization, 60)
    outsider = UserFactory()
    OrganizationRoleFactory(user=outsider, organization=OrganizationFactory(), role="organizer")
    client.force_login(outsider)

    assert client.get(plan_url(cohort)).status_code == 404
    assert propose(client, cohort).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, organization):
    cohort = planned_cohort(organization, 60)

    response = client.get(plan_url(cohort))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("modules", [3, 12])
def test_propose_query_count_does_not_grow_with_modules(
    client, organizer, organization, trainer_member, modules, django_assert_max_num_queries
):
    cohort = planned_cohort(organization, *([60] * modules))
    cohort.lead_trainers.set([MemberFactory(organization=organization)])
    SessionFactory(cohort=CohortFactory(), trainers=[trainer_member])  # a neighbour to compare
    client.force_login(organizer)

    # session and user (2), cohort with organizers and lead trainers (3), trainer choices (1),
    # modules for the rows (1) and for the proposal (1), clash check: neighbouring sessions
    # with their trainers (2) and the trainers' names (1), the navbar's reach and member (2)
    with django_assert_max_num_queries(13):
        response = propose(client, cohort, trainers=[trainer_member.pk])

    assert len(response.context["rows"]) == modules
