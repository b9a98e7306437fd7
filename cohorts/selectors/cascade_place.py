"""A member's own place in the cascade trees: for each training they completed or lead,
the lineage up to its TOT, their generation, and how far their own cascades reached.

Three queries whatever the depth: a recursive CTE walks up ``Cohort.parent`` from every
place at once; one query reads the lead trainers on those paths; a second recursive CTE
walks down from the member's own cascades and counts what they reached.

The rules match the organizers' tree and reach (``cohorts.selectors.cascade``): a
cancelled cohort, and everything below it, is not part of a tree. So a place is left out
when its cohort, or any cohort on its path, is cancelled; a cancelled cascade of the
member's (and what hangs below it) reaches nobody. "Reached" means a *completed*
registration, each member once, the member themself not counted.

What a participant may see of other people: the lead trainers of the cohorts on their
own path (they met them, or their trainers did) — nothing else, only counts below.
"""

from dataclasses import dataclass, field
from datetime import date

from cohorts.models import Cohort, Enrollment
from cohorts.selectors import CohortStatusShown
from cohorts.selectors.cascade import fetch_rows, lead_trainers_of
from members.models import Member

# A guard against a parent loop in bad data: no real cascade is anywhere near this deep.
MAX_DEPTH = 64

# The cohorts the member completed or leads (optionally only one of them): the places.
PLACES_SQL = """
places (place_id, completed, leads) AS (
    SELECT cohort_id, MAX(completed), MAX(leads) FROM (
        SELECT e.cohort_id, 1 AS completed, 0 AS leads
        FROM cohorts_enrollment e
        WHERE e.member_id = %(member)s AND e.status = %(completed)s
        UNION ALL
        SELECT lt.cohort_id, 0, 1
        FROM cohorts_cohort_lead_trainers lt
        WHERE lt.member_id = %(member)s
    ) AS mine
    {only}
    GROUP BY cohort_id
)
"""

PATHS_SQL = """
WITH RECURSIVE {places},
up (place_id, cohort_id, parent_id, depth) AS (
    SELECT places.place_id, c.id, c.parent_id, 0
    FROM places JOIN cohorts_cohort c ON c.id = places.place_id
    UNION ALL
    SELECT up.place_id, c.id, c.parent_id, up.depth + 1
    FROM up JOIN cohorts_cohort c ON c.id = up.parent_id
    WHERE up.depth < %(max_depth)s
)
SELECT up.place_id, places.completed, places.leads, up.depth,
       c.id, c.title, c.slug, c.status, c.kind, c.starts_on, c.ends_on
FROM up
JOIN places ON places.place_id = up.place_id
JOIN cohorts_cohort c ON c.id = up.cohort_id
ORDER BY up.place_id, up.depth DESC
"""

# The member's own cascades seen from a place: the place itself when they lead it, and
# the cascades they led from it (its children they lead). Each walks down its subtree.
BELOW_SQL = """
WITH RECURSIVE {places},
own (place_id, cascade_id) AS (
    SELECT places.place_id, c.id
    FROM places
    JOIN cohorts_cohort c ON c.id = places.place_id OR c.parent_id = places.place_id
    JOIN cohorts_cohort_lead_trainers lt ON lt.cohort_id = c.id AND lt.member_id = %(member)s
    WHERE c.status <> %(cancelled)s
),
down (place_id, cascade_id, cohort_id, depth) AS (
    SELECT place_id, cascade_id, cascade_id, 0 FROM own
    UNION ALL
    SELECT down.place_id, down.cascade_id, child.id, down.depth + 1
    FROM down JOIN cohorts_cohort child ON child.parent_id = down.cohort_id
    WHERE child.status <> %(cancelled)s AND down.depth < %(max_depth)s
),
reached (place_id, cascade_id, cohort_id, member_id) AS (
    SELECT down.place_id, down.cascade_id, down.cohort_id, e.member_id
    FROM down LEFT JOIN cohorts_enrollment e
      ON e.cohort_id = down.cohort_id AND e.status = %(completed)s
     AND e.member_id <> %(member)s
)
SELECT reached.place_id, reached.cascade_id, c.title, c.slug, c.status, c.starts_on,
       c.ends_on, COUNT(DISTINCT reached.cohort_id), COUNT(DISTINCT reached.member_id)
FROM reached JOIN cohorts_cohort c ON c.id = reached.cascade_id
GROUP BY reached.place_id, reached.cascade_id, c.title, c.slug, c.status, c.starts_on,
         c.ends_on
UNION ALL
SELECT place_id, NULL, NULL, NULL, NULL, NULL, NULL,
       COUNT(DISTINCT cohort_id), COUNT(DISTINCT member_id)
FROM reached
GROUP BY place_id
"""


@dataclass(frozen=True)
class PathStep(CohortStatusShown):
    """One cohort on the way from the TOT down to the member's place."""

    cohort_id: int
    title: str
    slug: str
    status: str
    kind: str
    starts_on: date
    ends_on: date
    generation: int
    lead_trainers: list[str] = field(default_factory=list, compare=False)


@dataclass(frozen=True)
class OwnCascade(CohortStatusShown):
    """A cascade the member leads, with what its subtree reached (it and the cascades of
    its graduates, recursively)."""

    cohort_id: int
    title: str
    slug: str
    status: str
    starts_on: date
    ends_on: date
    trainings: int
    members_reached: int


@dataclass(frozen=True)
class CascadePlace:
    """Where the member stands in one tree: at ``cohort_id``, generation ``generation``
    (0 = the TOT), as its graduate, its lead trainer, or both."""

    cohort_id: int
    generation: int
    completed: bool
    leads: bool
    path: list[PathStep]  # the TOT first, this cohort last
    own_cascades: list[OwnCascade]  # oldest first
    trainings: int  # not cancelled, in all the own cascades' subtrees
    members_reached: int  # completed there, each member once

    @property
    def cohort(self) -> PathStep:
        return self.path[-1]

    @property
    def root(self) -> PathStep:
        return self.path[0]


def _params(member: Member, cohort: Cohort | None) -> dict:
    return {
        "member": member.pk,
        "only": cohort.pk if cohort else None,
        "completed": Enrollment.Status.COMPLETED,
        "cancelled": Cohort.Status.CANCELLED,
        "max_depth": MAX_DEPTH,
    }


def _sql(template: str, cohort: Cohort | None) -> str:
    """Constant text either way; every value is a query parameter."""
    only = "WHERE cohort_id = %(only)s" if cohort else ""
    return template.format(places=PLACES_SQL.format(only=only))


@dataclass(frozen=True)
class _RawPlace:
    completed: bool
    leads: bool
    steps: list[tuple]  # (depth, cohort columns…), the root first


def _raw_places(rows: list[tuple]) -> dict[int, _RawPlace]:
    """The walk's rows grouped by place; places on a cancelled path left out."""
    places: dict[int, _RawPlace] = {}
    for place_id, completed, leads, *step in rows:
        places.setdefault(place_id, _RawPlace(bool(completed), bool(leads), [])).steps.append(step)
    status = 4  # the column's position in a step
    return {
        place_id: place
        for place_id, place in places.items()
        if all(step[status] != Cohort.Status.CANCELLED for step in place.steps)
    }


def _path(place: _RawPlace, names: dict[int, list[str]]) -> list[PathStep]:
    """The steps from the root down; generation = distance from the root."""
    root_depth = place.steps[0][0]
    return [
        PathStep(
            *columns,
            generation=root_depth - depth,
            lead_trainers=names.get(columns[0], []),
        )
        for depth, *columns in place.steps
    ]


def _below(member: Member, cohort: Cohort | None) -> dict[int, tuple[list, int, int]]:
    """For each place: its own cascades, and the trainings and members in all of them."""
    below: dict[int, tuple[list, int, int]] = {}
    rows = fetch_rows(_sql(BELOW_SQL, cohort), _params(member, cohort))
    for place_id, cascade_id, *details, trainings, reached in rows:
        own, _t, _r = below.setdefault(place_id, ([], 0, 0))
        if cascade_id is None:
            below[place_id] = (own, trainings, reached)
        else:
            own.append(OwnCascade(cascade_id, *details, trainings, reached))
    for own, _t, _r in below.values():
        own.sort(key=lambda cascade: (cascade.starts_on, cascade.cohort_id))
    return below


def cascade_places(*, member: Member, cohort: Cohort | None = None) -> list[CascadePlace]:
    """The member's places (only ``cohort``'s when given), the oldest tree first: three
    queries whatever the depth, one when the member has no place at all."""
    raw = _raw_places(fetch_rows(_sql(PATHS_SQL, cohort), _params(member, cohort)))
    if not raw:
        return []
    leads = lead_trainers_of({step[1] for place in raw.values() for step in place.steps})
    names = {cohort_id: [name for _pk, name in pairs] for cohort_id, pairs in leads.items()}
    below = _below(member, cohort)
    places = []
    for place_id, place in raw.items():
        path = _path(place, names)
        own, trainings, reached = below.get(place_id, ([], 0, 0))
        places.append(
            CascadePlace(
                cohort_id=place_id,
                generation=path[-1].generation,
                completed=place.completed,
                leads=place.leads,
                path=path,
                own_cascades=own,
                trainings=trainings,
                members_reached=reached,
            )
        )
    places.sort(key=lambda p: (p.root.starts_on, p.root.cohort_id, p.generation, p.cohort_id))
    return places


def cascade_place(*, member: Member, cohort: Cohort) -> CascadePlace | None:
    """The member's place at this cohort, if they completed or lead it and it counts."""
    places = cascade_places(member=member, cohort=cohort)
    return places[0] if places else None
