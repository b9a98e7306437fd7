"""Two organizers saving clashing sessions at the same moment: the schedule lock lets
exactly one through. Real threads, each on its own database connection, on Postgres
(SQLite serializes every write anyway and has no row locks to test).

Without ``_lock_schedule`` both threads pass the clash check before either has saved,
and every case below fails with two sessions saved."""

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cohorts import zones
from cohorts.models import Cohort, Session
from cohorts.services.sessions import session_create
from tests.cohorts.factories import CohortFactory
from tests.members.factories import MemberFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row and advisory locks"),
]

FIRST_DAY = dt.date(2026, 12, 14)


def _race(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` at once, each in a thread of its own; what each returned or raised."""
    ready = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()
            ready.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _create(cohort: Cohort, **details) -> Callable[[], Session]:
    return lambda: session_create(
        cohort=cohort,
        title="Sesi",
        starts_at=zones.aware(cohort.starts_on, dt.time(9), cohort),
        ends_at=zones.aware(cohort.starts_on, dt.time(11), cohort),
        **details,
    )


@pytest.mark.parametrize("clash", ["trainer", "room", "cohort"])
def test_of_two_clashing_sessions_saved_at_once_exactly_one_is_saved(clash):
    first = CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    second = (
        first if clash == "cohort" else CohortFactory(starts_on=FIRST_DAY, venue_name="Hotel Ratu")
    )
    details = {
        "trainer": {"trainers": [MemberFactory()]},
        "room": {"room": "Aula"},
        "cohort": {},
    }[clash]

    outcomes = _race(_create(first, **details), _create(second, **details))

    saved = [outcome for outcome in outcomes if isinstance(outcome, Session)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(saved), len(refused)) == (1, 1), outcomes
    assert Session.objects.count() == 1
