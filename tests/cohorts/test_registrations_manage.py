"""The organizer's registration page: counts, list, actions through the seat service,
manual add, export, and who may do any of it.

Messages are read under /en/ (the English catalogue answers with the msgids)."""

import csv
import datetime as dt
import io
import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cohorts.models import Cohort, Enrollment, EnrollmentChange
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def url(name: str, cohort: Cohort, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"slug": cohort.slug, **kwargs})


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def statuses(*enrollments: Enrollment) -> list[str]:
    return [Enrollment.objects.get(pk=enrollment.pk).status for enrollment in enrollments]


@pytest.fixture
def cohort(organization) -> Cohort:
    return CohortFactory(
        organizers=[organization],
        capacity=3,
        requires_approval=True,
        time_zone=Cohort.TimeZone.WITA,
        registration_questions=["motivation", "union_position"],
    )


@pytest.fixture
def enroll(cohort, organization):
    def make(status: str = Status.CONFIRMED, **kwargs) -> Enrollment:
        kwargs.setdefault("member__organization", organization)
        return EnrollmentFactory(cohort=kwargs.pop("cohort", cohort), status=status, **kwargs)

    return make


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


# The page


def test_page_counts_seats_and_lists_the_active_registrations(organizer_client, cohort, enroll):
    confirmed = enroll(
        member__full_name="Siti Aminah",
        answers={"motivation": "Belajar dialog sosial", "union_position": "Ketua PUK"},
    )
    enroll(Status.CONFIRMED)
    waitlisted = enroll(Status.WAITLISTED, member__full_name="Budi Santoso")
    enroll(Status.PENDING)
    cancelled = enroll(Status.CANCELLED, member__full_name="Agus Salim")
    Enrollment.objects.filter(pk=confirmed.pk).update(
        registered_at=dt.datetime(2026, 11, 2, 6, 30, tzinfo=dt.UTC),
        source=Enrollment.Source.ORGANIZER,
    )

    response = organizer_client.get(url("cohorts:registrations", cohort))

    counts = response.context["counts"]
    assert (counts.confirmed, counts.capacity, counts.waitlisted, counts.pending) == (2, 3, 1, 1)
    assert counts.cancelled == 1
    shown = response.context["registrations"]
    assert cancelled not in shown
    assert len(shown) == 4
    assert next(row for row in shown if row == waitlisted).waitlist_position == 1
    content = response.content.decode()
    assert "Siti Aminah" in content
    assert confirmed.member.organization.short_name in content
    assert confirmed.member.phone.as_national in content
    assert "2 Nov 2026 14:30 WITA" in content  # 06:30 UTC in the cohort's zone
    assert "Added by an organizer" in content
    assert "Belajar dialog sosial" in content
    assert "Ketua PUK" in content
    assert "No. 1 in line" in content
    assert "Agus Salim" not in content


def test_list_filters_by_status_and_searches_by_name_or_phone(organizer_client, cohort, enroll):
    siti = enroll(member__full_name="Siti Aminah", member__phone="+6281234567890")
    budi = enroll(Status.WAITLISTED, member__full_name="Budi Santoso")
    agus = enroll(Status.CANCELLED, member__full_name="Agus Salim")

    def shown(**params) -> set[Enrollment]:
        response = organizer_client.get(url("cohorts:registrations", cohort), params)
        return set(response.context["registrations"])

    assert shown() == {siti, budi}
    assert shown(status="waitlisted") == {budi}
    assert shown(status="cancelled") == {agus}
    assert shown(status="all") == {siti, budi, agus}
    assert shown(q="aminah") == {siti}
    assert shown(q="0812-3456-7890") == {siti}
    assert shown(q="salim") == set()
    assert shown(q="salim", status="all") == {agus}


def test_waitlist_positions_follow_the_queue_whatever_the_filter(organizer_client, cohort, enroll):
    first = enroll(Status.WAITLISTED, member__full_name="Pertama")
    second = enroll(Status.WAITLISTED, member__full_name="Kedua")
    Enrollment.objects.filter(pk=first.pk).update(
        waitlisted_at=second.waitlisted_at - dt.timedelta(minutes=5)
    )

    response = organizer_client.get(url("cohorts:registrations", cohort), {"q": "Kedua"})

    assert [row.waitlist_position for row in response.context["registrations"]] == [2]


def test_the_organizers_cohort_page_links_the_registrations(organizer_client, cohort, enroll):
    enroll()
    enroll(Status.PENDING)
    enroll(Status.REJECTED)

    response = organizer_client.get(url("cohorts:manage_detail", cohort))

    assert response.context["registration_counts"].active == 2
    assert "Registrations (2)" in response.content.decode()
    assert url("cohorts:registrations", cohort) in response.content.decode()


# Approve and reject


def test_bulk_approval_beyond_capacity_confirms_in_registration_order_then_waitlists(
    organizer_client, cohort, enroll
):
    enroll(Status.CONFIRMED)
    pending = [enroll(Status.PENDING) for _ in range(4)]

    response = organizer_client.post(
        url("cohorts:registrations_decide", cohort),
        {
            "decision": "approve",
            "enrollments": [enrollment.pk for enrollment in reversed(pending)],
            "back": "status=pending&q=a&page=2&next=https://evil.example",
        },
    )

    assert response.status_code == 302
    assert response.url == url("cohorts:registrations", cohort) + "?status=pending&q=a&page=2"
    assert statuses(*pending) == [Status.CONFIRMED, Status.CONFIRMED, *[Status.WAITLISTED] * 2]
    queue = Enrollment.objects.filter(cohort=cohort, status=Status.WAITLISTED)
    assert list(queue.order_by("waitlisted_at", "id")) == pending[2:]
    assert texts(response) == [
        "4 approved: 2 confirmed, 2 on the waiting list (no free seat for them)."
    ]


def test_approving_one_within_capacity_confirms_it(organizer_client, cohort, enroll):
    pending = enroll(Status.PENDING)

    response = organizer_client.post(
        url("cohorts:registrations_decide", cohort),
        {"decision": "approve", "enrollments": [pending.pk], "message": "Sampai jumpa"},
    )

    assert statuses(pending) == [Status.CONFIRMED]
    assert texts(response) == ["1 registration approved and confirmed."]
    change = EnrollmentChange.objects.get(enrollment=pending)
    assert (change.to_status, change.note) == (Status.CONFIRMED, "Sampai jumpa")


def test_reject_with_a_message_tells_the_registrant(
    organizer_client, cohort, enroll, organizer, django_capture_on_commit_callbacks, mailoutbox
):
    pending = enroll(Status.PENDING, member__email="siti@example.org")
    other = enroll(Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            url("cohorts:registrations_decide", cohort),
            {
                "decision": "reject",
                "enrollments": [pending.pk],
                "message": "Kuota untuk federasi Anda sudah penuh.",
            },
        )

    assert statuses(pending, other) == [Status.REJECTED, Status.PENDING]
    change = EnrollmentChange.objects.get(enrollment=pending)
    assert change.changed_by == organizer
    assert texts(response) == ["1 registration rejected."]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["siti@example.org"]
    assert "Kuota untuk federasi Anda sudah penuh." in mailoutbox[0].body


def test_a_decision_without_any_registration_chosen_changes_nothing(
    organizer_client, cohort, enroll
):
    pending = enroll(Status.PENDING)

    response = organizer_client.post(
        url("cohorts:registrations_decide", cohort), {"decision": "approve", "back": "q=x"}
    )

    assert response.url == url("cohorts:registrations", cohort) + "?q=x"
    assert texts(response) == ["Choose at least one registration."]
    assert statuses(pending) == [Status.PENDING]
    assert not EnrollmentChange.objects.exists()


def test_approving_what_is_no_longer_pending_says_so(organizer_client, cohort, enroll):
    confirmed = enroll(Status.CONFIRMED)

    response = organizer_client.post(
        url("cohorts:registrations_decide", cohort),
        {"decision": "approve", "enrollments": [confirmed.pk]},
    )

    assert texts(response) == ["Nothing was approved: none of them awaits approval now."]
    assert not EnrollmentChange.objects.exists()


def test_another_cohorts_registration_cannot_be_decided_here(organizer_client, cohort, enroll):
    elsewhere = enroll(Status.PENDING, cohort=CohortFactory(organizers=[OrganizationFactory()]))

    organizer_client.post(
        url("cohorts:registrations_decide", cohort),
        {"decision": "approve", "enrollments": [elsewhere.pk]},
    )

    assert statuses(elsewhere) == [Status.PENDING]


# Move and cancel


def test_a_waitlisted_person_gets_a_free_seat_and_a_confirmed_one_waits_again(
    organizer_client, cohort, enroll
):
    waiting = enroll(Status.WAITLISTED, member__full_name="Budi Santoso")

    response = organizer_client.post(
        url("cohorts:registration_move", cohort, pk=waiting.pk), {"to_status": "confirmed"}
    )

    assert statuses(waiting) == [Status.CONFIRMED]
    assert texts(response) == ["Budi Santoso now has a seat."]

    response = organizer_client.post(
        url("cohorts:registration_move", cohort, pk=waiting.pk),
        {"to_status": "waitlisted", "back": "status=confirmed"},
    )

    assert statuses(waiting) == [Status.WAITLISTED]
    assert texts(response)[-1] == "Budi Santoso is back on the waiting list, at its end."
    assert response.url.endswith("?status=confirmed")


def test_an_organizer_gives_a_seat_to_someone_further_down_the_queue(
    organizer_client, cohort, enroll
):
    """Moving someone back frees a seat without promoting anyone: it is the organizer's to
    give, and the one moved back queues at the end."""
    cohort.capacity = 1
    cohort.save(update_fields=["capacity"])
    seated = enroll(Status.CONFIRMED)
    first, later = enroll(Status.WAITLISTED), enroll(Status.WAITLISTED)
    move = "cohorts:registration_move"

    organizer_client.post(url(move, cohort, pk=seated.pk), {"to_status": "waitlisted"})
    organizer_client.post(url(move, cohort, pk=later.pk), {"to_status": "confirmed"})

    assert statuses(seated, first, later) == [
        Status.WAITLISTED,
        Status.WAITLISTED,
        Status.CONFIRMED,
    ]
    response = organizer_client.get(url("cohorts:registrations", cohort), {"status": "waitlisted"})
    positions = {row: row.waitlist_position for row in response.context["registrations"]}
    assert positions == {first: 1, seated: 2}


def test_moving_to_a_seat_is_refused_when_the_cohort_is_full(organizer_client, cohort, enroll):
    for _ in range(3):
        enroll(Status.CONFIRMED)
    waiting = enroll(Status.WAITLISTED)

    response = organizer_client.post(
        url("cohorts:registration_move", cohort, pk=waiting.pk), {"to_status": "confirmed"}
    )

    assert statuses(waiting) == [Status.WAITLISTED]
    assert texts(response) == [
        "The cohort is full (3 seats). Free a seat or raise the capacity first."
    ]
    assert not EnrollmentChange.objects.exists()


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list(
    organizer_client, cohort, enroll, django_capture_on_commit_callbacks, mailoutbox
):
    cohort.capacity = 1
    cohort.save(update_fields=["capacity"])
    seated = enroll(Status.CONFIRMED, member__full_name="Siti Aminah", member__email="s@ex.org")
    first = enroll(Status.WAITLISTED, member__email="first@example.org")
    second = enroll(Status.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            url("cohorts:registration_cancel", cohort, pk=seated.pk),
            {"note": "Berhalangan hadir, dikabari lewat telepon."},
        )

    assert statuses(seated, first, second) == [
        Status.CANCELLED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    assert texts(response) == ["The registration of Siti Aminah is cancelled."]
    assert EnrollmentChange.objects.get(enrollment=seated).note.startswith("Berhalangan")
    assert sorted(message.to[0] for message in mailoutbox) == ["first@example.org", "s@ex.org"]


def test_a_cancelled_registration_cannot_be_cancelled_again(organizer_client, cohort, enroll):
    cancelled = enroll(Status.CANCELLED)

    response = organizer_client.post(url("cohorts:registration_cancel", cohort, pk=cancelled.pk))

    assert texts(response) == ["A registration that is “Cancelled” cannot be cancelled."]
    assert not EnrollmentChange.objects.exists()


def test_another_cohorts_registration_is_not_found_through_this_cohort(
    organizer_client, cohort, enroll, organization
):
    elsewhere = enroll(Status.WAITLISTED, cohort=CohortFactory(organizers=[organization]))

    for name, data in [
        ("cohorts:registration_move", {"to_status": "confirmed"}),
        ("cohorts:registration_cancel", {}),
    ]:
        response = organizer_client.post(url(name, cohort, pk=elsewhere.pk), data)
        assert response.status_code == 404
    assert statuses(elsewhere) == [Status.WAITLISTED]


def test_a_busy_cohort_answers_try_again_and_writes_nothing(
    client, organizer, organization, settings, transactional_db
):
    """Someone else holds the cohort's lock longer than the timeout: a message, no 500."""
    settings.ENROLLMENT_LOCK_TIMEOUT = 0.2
    cohort = CohortFactory(organizers=[organization], requires_approval=True)
    pending = EnrollmentFactory(cohort=cohort, status=Status.PENDING)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                Cohort.objects.select_for_update().get(pk=cohort.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(10)
        client.force_login(organizer)
        response = client.post(
            url("cohorts:registrations_decide", cohort),
            {"decision": "approve", "enrollments": [pending.pk]},
        )
    finally:
        release.set()
        holder.join()

    assert response.status_code == 302
    assert texts(response) == [
        "Many people are registering right now. Please try again in a moment."
    ]
    assert statuses(pending) == [Status.PENDING]
    assert not EnrollmentChange.objects.exists()


# Manual add


def test_search_offers_members_in_reach_only(organizer_client, cohort, enroll, organization):
    MemberFactory(full_name="Rudi Hartono", organization=organization, member_number="KSPI-77")
    already = enroll(Status.WAITLISTED, member__full_name="Rudi Registered")
    MemberFactory(full_name="Rudi Luar", organization=OrganizationFactory())

    response = organizer_client.get(url("cohorts:registration_add", cohort), {"q": "rudi"})

    candidates = {member.full_name: member for member in response.context["candidates"]}
    assert set(candidates) == {"Rudi Hartono", "Rudi Registered"}
    assert candidates["Rudi Registered"].registered_label == "On the waiting list"
    assert already.member.pk == candidates["Rudi Registered"].pk
    by_number = organizer_client.get(url("cohorts:registration_add", cohort), {"q": "kspi-77"})
    assert [member.full_name for member in by_number.context["candidates"]] == ["Rudi Hartono"]
    assert (
        list(organizer_client.get(url("cohorts:registration_add", cohort)).context["candidates"])
        == []
    )


def test_adding_a_member_gives_a_seat_then_the_waiting_list(
    organizer_client, cohort, enroll, organization
):
    enroll(Status.CONFIRMED)
    enroll(Status.CONFIRMED)
    rudi = MemberFactory(full_name="Rudi Hartono", organization=organization)
    dewi = MemberFactory(full_name="Dewi Lestari", organization=organization)

    response = organizer_client.post(url("cohorts:registration_add", cohort), {"member": rudi.pk})

    assert response.url == url("cohorts:registrations", cohort)
    assert texts(response) == ["Rudi Hartono was added with a seat."]
    added = Enrollment.objects.get(cohort=cohort, member=rudi)
    assert (added.status, added.source) == (Status.CONFIRMED, Enrollment.Source.ORGANIZER)

    response = organizer_client.post(url("cohorts:registration_add", cohort), {"member": dewi.pk})

    assert (
        texts(response)[-1]
        == "Dewi Lestari was added to the waiting list: no seat is free for them."
    )
    assert Enrollment.objects.get(cohort=cohort, member=dewi).status == Status.WAITLISTED


def test_adding_someone_already_registered_says_so_and_writes_nothing(
    organizer_client, cohort, enroll
):
    pending = enroll(Status.PENDING, member__full_name="Siti Aminah")

    response = organizer_client.post(
        url("cohorts:registration_add", cohort), {"member": pending.member.pk, "q": "siti"}
    )

    assert response.url == url("cohorts:registration_add", cohort) + "?q=siti"
    assert texts(response) == ["Siti Aminah is already registered (awaiting approval)."]
    assert Enrollment.objects.count() == 1
    assert not EnrollmentChange.objects.exists()


def test_a_member_outside_the_organizers_reach_cannot_be_added(organizer_client, cohort):
    outsider = MemberFactory(organization=OrganizationFactory())

    response = organizer_client.post(
        url("cohorts:registration_add", cohort), {"member": outsider.pk}
    )

    assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_a_draft_cohort_takes_no_manual_additions(organizer_client, organization):
    draft = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
    member = MemberFactory(organization=organization)

    response = organizer_client.post(url("cohorts:registration_add", draft), {"member": member.pk})

    assert texts(response) == ["Members can be added only while the cohort is open or running."]
    assert not Enrollment.objects.exists()


# Another organization's organizer


def test_another_organizations_organizer_reaches_nothing(client, cohort, enroll):
    pending = enroll(Status.PENDING)
    outsider = OrganizationRoleFactory(organization=OrganizationFactory(), role="organizer").user
    client.force_login(outsider)
    member = MemberFactory(organization=OrganizationFactory())

    gets = [
        url("cohorts:registrations", cohort),
        url("cohorts:registrations_export", cohort) + "?format=csv",
        url("cohorts:registrations_export", cohort) + "?format=xlsx",
        url("cohorts:registration_add", cohort),
    ]
    posts = [
        (
            url("cohorts:registrations_decide", cohort),
            {"decision": "approve", "enrollments": [pending.pk]},
        ),
        (url("cohorts:registration_move", cohort, pk=pending.pk), {"to_status": "confirmed"}),
        (url("cohorts:registration_cancel", cohort, pk=pending.pk), {}),
        (url("cohorts:registration_add", cohort), {"member": member.pk}),
    ]

    for address in gets:
        assert client.get(address).status_code == 404, address
    for address, data in posts:
        assert client.post(address, data).status_code == 404, address
    assert statuses(pending) == [Status.PENDING]
    assert Enrollment.objects.count() == 1


# Export


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def exported(cohort, enroll):
    """A hostile name, a waiting list and a cancelled registration to export."""
    hostile = enroll(
        member__full_name='=HYPERLINK("http://evil.example","klik")',
        member__email="siti@example.org",
        answers={"motivation": "@SUM(A1:A9)", "union_position": "Ketua PUK", "workplace": "PT X"},
    )
    Enrollment.objects.filter(pk=hostile.pk).update(
        registered_at=dt.datetime(2026, 11, 2, 6, 30, tzinfo=dt.UTC)
    )
    waiting = enroll(Status.WAITLISTED, member__full_name="Budi Santoso")
    enroll(Status.CANCELLED, member__full_name="Agus Salim")
    return hostile, waiting


def test_csv_export_holds_the_filtered_list_and_no_cell_can_run(organizer_client, cohort, exported):
    hostile, _ = exported

    response = organizer_client.get(url("cohorts:registrations_export", cohort) + "?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="registrations-{cohort.slug}-' in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [
        "Full name",
        "Phone (WhatsApp)",
        "E-mail",
        "Organization",
        "Region",
        "Status",
        "Registered at (WITA)",
        "Place on the waiting list",
        "Why do you want to join this training?",
        "Your position in the union",
        "Source",
    ]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"'" + hostile.member.full_name, "Budi Santoso"}  # no cancelled
    siti = by_name["'" + hostile.member.full_name]
    assert siti["Phone (WhatsApp)"] == "'" + hostile.member.phone.as_e164
    assert siti["E-mail"] == "siti@example.org"
    assert siti["Status"] == "Confirmed"
    assert siti["Registered at (WITA)"] == "2026-11-02 14:30"
    assert siti["Place on the waiting list"] == ""
    assert siti["Why do you want to join this training?"] == "'@SUM(A1:A9)"
    assert siti["Your position in the union"] == "Ketua PUK"
    assert siti["Source"] == "Registered online"
    assert by_name["Budi Santoso"]["Place on the waiting list"] == "1"
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell

    waitlisted_only = organizer_client.get(
        url("cohorts:registrations_export", cohort) + "?format=csv&status=waitlisted"
    )
    assert [row[0] for row in csv_rows(waitlisted_only)[1:]] == ["Budi Santoso"]


def test_xlsx_export_keeps_text_as_text(organizer_client, cohort, exported):
    hostile, _ = exported

    response = organizer_client.get(
        url("cohorts:registrations_export", cohort) + "?format=xlsx&status=all"
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    assert header[6] == "Registered at (WITA)"
    by_name = {row[0].value: row for row in rows[1:]}
    assert set(by_name) == {hostile.member.full_name, "Budi Santoso", "Agus Salim"}
    hostile_row = by_name[hostile.member.full_name]
    assert hostile_row[0].data_type == "s"  # stored as text, never evaluated
    assert hostile_row[8].value == "@SUM(A1:A9)"
    assert hostile_row[8].data_type == "s"
    assert by_name["Budi Santoso"][7].value == 1


def test_export_of_an_unknown_format_or_status_is_refused(organizer_client, cohort):
    export = url("cohorts:registrations_export", cohort)

    assert organizer_client.get(export + "?format=pdf").status_code == 404
    assert organizer_client.get(export + "?format=csv&status=nonsense").status_code == 400


# Query counts


def bulk_enrollments(cohort: Cohort, organization, count: int) -> None:
    members = MemberFactory.build_batch(count, organization=organization)
    for member in members:
        member.region = cohort.region
    created = Member.objects.bulk_create(members)
    cycle = [Status.CONFIRMED, Status.WAITLISTED, Status.PENDING, Status.CANCELLED]
    Enrollment.objects.bulk_create(
        Enrollment(
            cohort=cohort,
            member=member,
            status=cycle[number % 4],
            waitlisted_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=number),
            answers={"motivation": f"Alasan {number}", "union_position": "Anggota"},
            ticket_code=f"ticket-{cohort.pk}-{number}",
        )
        for number, member in enumerate(created)
    )


@pytest.mark.parametrize("count", [5, 200])
def test_page_query_count_is_constant(
    organizer_client, cohort, organization, count, django_assert_max_num_queries
):
    bulk_enrollments(cohort, organization, count)

    # session + user (2), cohort + organizers + lead trainers (3), registration counts
    # (1), paginator count (1), a page of registrations with members, organizations,
    # regions and waitlist places (1), navbar: reach + member record (2)
    with django_assert_max_num_queries(10):
        response = organizer_client.get(url("cohorts:registrations", cohort))

    assert response.context["page"].paginator.count == count - count // 4
    assert len(response.context["registrations"]) == min(count - count // 4, 50)


@pytest.mark.parametrize("count", [5, 200])
def test_export_query_count_is_constant(
    organizer_client, cohort, organization, count, django_assert_max_num_queries
):
    bulk_enrollments(cohort, organization, count)

    # session + user (2), cohort + organizers + lead trainers (3), the registrations with
    # members, organizations, regions and waitlist places (1)
    with django_assert_max_num_queries(6):
        response = organizer_client.get(url("cohorts:registrations_export", cohort) + "?format=csv")
        rows = csv_rows(response)

    assert len(rows) == 1 + count - count // 4


def test_the_list_flags_online_signups_whose_e_mail_is_not_confirmed(client, organizer):
    cohort = CohortFactory(organizers=[organizer.organization_roles.get().organization])
    unconfirmed = UserFactory(email="baru@example.org")
    EmailAddress.objects.filter(user=unconfirmed).update(verified=False)
    EnrollmentFactory(cohort=cohort, member=MemberFactory(user=unconfirmed, full_name="Baru"))
    EnrollmentFactory(cohort=cohort, member=MemberFactory(user=UserFactory(), full_name="Lama"))
    EnrollmentFactory(
        cohort=cohort,
        member=MemberFactory(user=None, full_name="Ditambahkan"),
        source=Enrollment.Source.ORGANIZER,
    )
    client.force_login(organizer)

    response = client.get(reverse("cohorts:registrations", kwargs={"slug": cohort.slug}))

    flagged = {e.member.full_name for e in response.context["page"] if e.unverified_signup}
    assert flagged == {"Baru"}
    assert response.content.decode().count("unverified-signup") == 1
