import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cohorts.models import Cohort, Session
from cohorts.selectors.clashes import Clash, clashes_for_slots
from cohorts.services.planning import ProposedSession, sessions_propose
from curriculum.demo import demo_curriculum_load
from curriculum.models import Curriculum
from tests.cohorts.factories import CohortFactory
from tests.curriculum.factories import DraftCurriculumFactory, ModuleFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

t = dt.time
MONDAY = dt.date(2026, 12, 14)
# The seed's TOT day: 08:30–16:30 with a morning and an afternoon coffee break and lunch,
# leaving free blocks of 90, 105, 120 and 75 minutes.
SEED_DAY = {
    "day_start": t(8, 30),
    "day_end": t(16, 30),
    "breaks": [(t(10), t(10, 15)), (t(12), t(13)), (t(15), t(15, 15))],
}


def cohort_with_modules(*durations: int, **cohort_fields) -> Cohort:
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
    return CohortFactory(curriculum=curriculum, starts_on=MONDAY, **cohort_fields)


def propose(cohort: Cohort, **overrides) -> list[ProposedSession]:
    arguments = {"start_date": cohort.starts_on, **SEED_DAY, **overrides}
    return sessions_propose(cohort=cohort, **arguments)


def table(proposed: list[ProposedSession]) -> list[tuple]:
    return [
        (p.title, p.day, p.start_time.strftime("%H:%M"), p.end_time.strftime("%H:%M"))
        for p in proposed
    ]


def test_modules_fill_the_blocks_between_the_breaks_in_curriculum_order():
    cohort = cohort_with_modules(90, 105, 120, 75)

    proposed = propose(cohort)

    assert table(proposed) == [
        ("Modul 1", MONDAY, "08:30", "10:00"),
        ("Modul 2", MONDAY, "10:15", "12:00"),
        ("Modul 3", MONDAY, "13:00", "15:00"),
        ("Modul 4", MONDAY, "15:15", "16:30"),
    ]
    assert [p.module.title for p in proposed] == ["Modul 1", "Modul 2", "Modul 3", "Modul 4"]


def test_order_follows_the_module_position_not_the_order_of_creation():
    curriculum = DraftCurriculumFactory()
    ModuleFactory(curriculum=curriculum, position=2, title="Kedua", duration_minutes=30)
    ModuleFactory(curriculum=curriculum, position=1, title="Pertama", duration_minutes=30)
    cohort = CohortFactory(curriculum=curriculum, starts_on=MONDAY)

    assert [p.title for p in propose(cohort)] == ["Pertama", "Kedua"]


def test_several_modules_share_a_block_until_the_next_one_does_not_fit():
    cohort = cohort_with_modules(45, 30, 60)

    assert table(propose(cohort)) == [
        ("Modul 1", MONDAY, "08:30", "09:15"),
        ("Modul 2", MONDAY, "09:15", "09:45"),
        # 15 minutes are left before the coffee break: the module starts after it.
        ("Modul 3", MONDAY, "10:15", "11:15"),
    ]


def test_no_session_runs_into_a_break():
    cohort = cohort_with_modules(60, 60, 60, 60, 60, 60, 60, 60)

    proposed = propose(cohort)

    assert len({p.day for p in proposed}) == 2
    for p in proposed:
        assert t(8, 30) <= p.start_time < p.end_time <= t(16, 30)
        for break_start, break_end in SEED_DAY["breaks"]:
            assert p.end_time <= break_start or break_end <= p.start_time


def test_a_module_longer_than_a_block_is_split_into_parts_linked_to_it():
    cohort = cohort_with_modules(150, 30)

    proposed = propose(cohort)

    assert table(proposed) == [
        ("Modul 1 (1/2)", MONDAY, "08:30", "10:00"),
        ("Modul 1 (2/2)", MONDAY, "10:15", "11:15"),
        ("Modul 2", MONDAY, "11:15", "11:45"),
    ]
    first_module = cohort.curriculum.modules.get(position=1)
    assert [p.module for p in proposed[:2]] == [first_module, first_module]
    assert [(p.part, p.parts) for p in proposed] == [(1, 2), (2, 2), (1, 1)]
    assert sum(p.minutes for p in proposed[:2]) == 150


def test_a_module_longer_than_two_blocks_gets_three_parts():
    cohort = cohort_with_modules(300)

    assert table(propose(cohort)) == [
        ("Modul 1 (1/3)", MONDAY, "08:30", "10:00"),
        ("Modul 1 (2/3)", MONDAY, "10:15", "12:00"),
        ("Modul 1 (3/3)", MONDAY, "13:00", "14:45"),
    ]


def test_a_long_module_that_does_not_fit_the_rest_of_a_block_starts_the_next_block():
    cohort = cohort_with_modules(60, 150)

    assert table(propose(cohort))[1:] == [
        ("Modul 2 (1/2)", MONDAY, "10:15", "12:00"),
        ("Modul 2 (2/2)", MONDAY, "13:00", "13:45"),
    ]


def test_days_go_on_and_unchosen_weekdays_are_skipped():
    friday = dt.date(2026, 12, 18)
    cohort = cohort_with_modules(390, 90)

    proposed = propose(cohort, start_date=friday, weekdays=[0, 1, 2, 3, 4])

    assert {p.day for p in proposed[:4]} == {friday}
    # Saturday and Sunday are not training days: the next module is on Monday.
    assert table(proposed)[4] == ("Modul 2", dt.date(2026, 12, 21), "08:30", "10:00")


def test_a_first_day_that_is_not_a_chosen_weekday_moves_to_the_next_one():
    sunday = dt.date(2026, 12, 13)
    cohort = cohort_with_modules(60)

    assert propose(cohort, start_date=sunday)[0].day == MONDAY


def test_a_day_without_breaks_is_one_block():
    cohort = cohort_with_modules(120, 120)

    proposed = propose(cohort, day_start=t(9), day_end=t(13), breaks=[])

    assert table(proposed) == [
        ("Modul 1", MONDAY, "09:00", "11:00"),
        ("Modul 2", MONDAY, "11:00", "13:00"),
    ]


def test_times_are_read_in_the_cohorts_zone():
    cohort = cohort_with_modules(90, time_zone=Cohort.TimeZone.WITA)

    proposed = propose(cohort)[0]

    # 08:30 WITA (UTC+8) is 00:30 UTC.
    assert proposed.starts_at.astimezone(dt.UTC) == dt.datetime(2026, 12, 14, 0, 30, tzinfo=dt.UTC)
    assert proposed.ends_at.astimezone(dt.UTC) == dt.datetime(2026, 12, 14, 2, 0, tzinfo=dt.UTC)
    assert proposed.slot().starts_at == proposed.starts_at


def test_wit_and_wib_zones():
    wit = propose(cohort_with_modules(90, time_zone=Cohort.TimeZone.WIT))[0]
    wib = propose(cohort_with_modules(90, time_zone=Cohort.TimeZone.WIB))[0]

    assert wit.starts_at.astimezone(dt.UTC).time() == t(23, 30)  # the evening before, in UTC
    assert wib.starts_at.astimezone(dt.UTC).time() == t(1, 30)


def test_room_and_trainers_go_on_every_session_and_nothing_is_saved():
    cohort = cohort_with_modules(150, 60)
    trainers = MemberFactory.create_batch(2)

    proposed = propose(cohort, room="Ruang Melati", trainers=trainers)

    assert {p.room for p in proposed} == {"Ruang Melati"}
    assert {p.trainers for p in proposed} == {tuple(trainers)}
    assert proposed[0].slot().trainer_ids == frozenset(trainer.pk for trainer in trainers)
    assert not Session.objects.exists()


def test_the_demo_curriculum_needs_a_fourth_morning_with_the_seeds_hours(organization, organizer):
    """930 minutes of modules in 390-minute days: the blocks (90/105/120/75) leave gaps where
    a module does not fit, so the eighth module ends on the fourth morning."""
    curriculum = demo_curriculum_load(owner=organization, author=organizer)
    cohort = CohortFactory(curriculum=curriculum, starts_on=MONDAY)
    tuesday, wednesday, thursday = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 3))

    proposed = propose(cohort)

    assert [
        (p.module.position, p.day, f"{p.start_time:%H:%M}", f"{p.end_time:%H:%M}") for p in proposed
    ] == [
        (1, MONDAY, "08:30", "10:00"),
        (1, MONDAY, "10:15", "10:45"),
        (2, MONDAY, "13:00", "15:00"),
        (3, MONDAY, "15:15", "16:30"),
        (3, tuesday, "08:30", "08:45"),
        (4, tuesday, "10:15", "11:45"),
        (5, tuesday, "13:00", "15:00"),
        (5, tuesday, "15:15", "15:45"),
        (6, wednesday, "08:30", "10:00"),
        (6, wednesday, "10:15", "10:45"),
        (7, wednesday, "13:00", "14:30"),
        (8, wednesday, "15:15", "16:30"),
        (8, thursday, "08:30", "09:45"),
    ]
    assert proposed[0].title == "Dialog sosial dalam hubungan industrial (1/2)"
    assert proposed[2].title == "Strategi pengorganisasian serikat"
    assert sum(p.minutes for p in proposed) == 930
    # The cohort runs three days; the last part falls outside and the clash check says so.
    clashes = clashes_for_slots(cohort=cohort, slots=[p.slot() for p in proposed])
    assert [(clash.kind, clash.slot.starts_at) for clash in clashes] == [
        (Clash.Kind.OUTSIDE_DATES, proposed[-1].starts_at)
    ]


def test_the_demo_curriculum_fits_three_days_with_two_breaks(organization, organizer):
    curriculum = demo_curriculum_load(owner=organization, author=organizer)
    cohort = CohortFactory(curriculum=curriculum, starts_on=MONDAY)

    proposed = propose(cohort, breaks=[(t(10, 30), t(10, 45)), (t(12, 30), t(13, 30))])

    assert proposed[-1].day == MONDAY + dt.timedelta(days=2)
    assert proposed[-1].end_time == t(14, 15)
    assert clashes_for_slots(cohort=cohort, slots=[p.slot() for p in proposed]) == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"day_start": t(16), "day_end": t(8)}, "day_end", "Hari harus selesai setelah dimulai."),
        ({"day_end": t(8, 30)}, "day_end", "Hari harus selesai setelah dimulai."),
        (
            {"breaks": [(t(10, 15), t(10))]},
            "breaks",
            "Jeda 10:15–10:00 harus selesai setelah dimulai.",
        ),
        (
            {"breaks": [(t(16), t(17))]},
            "breaks",
            "Jeda 16:00–17:00 berada di luar jam hari itu (08:30–16:30).",
        ),
        (
            {"breaks": [(t(7), t(8, 45))]},
            "breaks",
            "Jeda 07:00–08:45 berada di luar jam hari itu (08:30–16:30).",
        ),
        (
            {"breaks": [(t(12), t(13)), (t(10), t(10, 15)), (t(12, 30), t(13, 30))]},
            "breaks",
            "Jeda 12:00–13:00 dan 12:30–13:30 bertumpang tindih.",
        ),
        (
            {"breaks": [(t(8, 30), t(12)), (t(12), t(16, 30))]},
            "breaks",
            "Jeda-jeda ini tidak menyisakan waktu untuk sesi.",
        ),
        ({"weekdays": []}, "weekdays", "Pilih paling sedikit satu hari dalam seminggu."),
        ({"weekdays": [7]}, "weekdays", "Hari dalam seminggu diberi nomor 0 (Senin) sampai 6."),
    ],
)
def test_bad_inputs_are_refused_with_a_message_on_the_field(overrides, field, message):
    cohort = cohort_with_modules(60)

    with pytest.raises(ValidationError) as refused:
        propose(cohort, **overrides)

    assert refused.value.message_dict == {field: [message]}


def test_breaks_that_only_touch_each_other_or_the_day_are_fine():
    cohort = cohort_with_modules(60)

    proposed = propose(cohort, breaks=[(t(8, 30), t(9)), (t(9), t(9, 15)), (t(16), t(16, 30))])

    assert table(proposed) == [("Modul 1", MONDAY, "09:15", "10:15")]


def test_a_curriculum_without_modules_cannot_be_planned():
    cohort = CohortFactory(curriculum=DraftCurriculumFactory(title="Kosong"))

    with pytest.raises(ValidationError) as refused:
        propose(cohort)

    assert refused.value.messages == ["Kurikulum “Kosong” tidak punya modul untuk direncanakan."]
