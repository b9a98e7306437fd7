"""The reach report: how far one TOT, or every TOT in an organizer's reach, has cascaded.

Computed in the database over the lineage walk of ``cascade.py`` (``tree_cte``) started
from every root at once: four queries whatever the depth and size of the trees (none when
there is no root), no Python recursion. The rules, which the page states too:

- reached = a COMPLETED registration in a non-cancelled cohort of the trees; each member
  counts once, at the first generation that reached them (across all roots; ties broken
  by the earlier end date), so the generations add up to the total;
- a date range counts a cohort when it *ends* within the range; the walk still passes
  through cohorts outside it, so a later generation is found. TOT graduates are the
  generation-0 members under the same filters;
- an organization filter counts only members whose organization lies in its subtree;
- place: the member's own region when set (a province-level region counts for the
  province, its regency unknown), else the region of the cohort where they were reached;
- confederation and federation: the member's organization walked up its tree (the
  topmost federation when federations nest); members above or outside those levels show
  as such;
- multiplier = members reached by cascades (generation ≥ 1) ÷ TOT graduates;
- a graduate "ran a cascade" when they lead a non-cancelled cascade whose parent is the
  TOT they graduated from (whenever it runs); the time to it is the days from that TOT's
  end to the start of their first such cascade (their shortest, with several TOTs);
- knowledge gain, per registration (confirmed, completed or incomplete) that has both a
  pre-test and a post-test: best post-test score − pre-test score, in points; averaged per
  generation. A member trained twice counts in both trainings here.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cohorts.models import AssessmentAttempt, Cohort, Enrollment
from cohorts.permissions import cohorts_managed_by
from cohorts.selectors.cascade import root_placeholders, tree_cte
from members.models import Organization, Region

ONE_DECIMAL = Decimal("0.1")
# Generations deeper than this in an organization's parents would mean a loop.
ORGANIZATION_DEPTH_LIMIT = 20


@dataclass(frozen=True)
class ReachFilters:
    """Count cohorts that end within [ends_from, ends_until] (either end open) and members
    of ``organization``'s subtree (any member when None)."""

    ends_from: date | None = None
    ends_until: date | None = None
    organization: Organization | None = None


def _average(total: Decimal | None, count: int) -> Decimal | None:
    if total is None or not count:
        return None
    return (total / count).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _decimal(value: Decimal | float | int | None) -> Decimal | None:
    """SQLite sums decimal columns as floats; through text they come back exact enough."""
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class KnowledgeGain:
    """Pre-test, best post-test and gain (points) of the registrations that took both."""

    took_both: int
    average_pre: Decimal | None
    average_post: Decimal | None
    average_gain: Decimal | None

    @classmethod
    def of_totals(
        cls, took_both: int, pre_total: Decimal | float | None, post_total: Decimal | float | None
    ) -> "KnowledgeGain":
        pre, post = _decimal(pre_total), _decimal(post_total)
        gain = post - pre if pre is not None and post is not None else None
        return cls(
            took_both=took_both,
            average_pre=_average(pre, took_both),
            average_post=_average(post, took_both),
            average_gain=_average(gain, took_both),
        )


@dataclass(frozen=True)
class GenerationFigures:
    generation: int
    cohorts: int  # non-cancelled cohorts of this generation that end within the range
    members_reached: int
    knowledge: KnowledgeGain


@dataclass(frozen=True)
class PlaceCount:
    """A province or regency/city (``region_id`` None: not known) and members placed there;
    ``by_training``: how many of them by the region of their training (no own region)."""

    region_id: int | None
    name: str
    members: int
    by_training: int
    parts: list["PlaceCount"] = field(default_factory=list)


@dataclass(frozen=True)
class OrganizationCount:
    """A confederation or federation (``organization_id`` None: members outside one)."""

    organization_id: int | None
    short_name: str
    name: str
    members: int
    parts: list["OrganizationCount"] = field(default_factory=list)


@dataclass(frozen=True)
class DaysBucket:
    label: str | Promise
    graduates: int


# (label, lowest day, highest day) of the time to a first cascade; None is open-ended.
DAY_BUCKETS = [
    (_("30 days or less"), None, 30),
    (_("31–90 days"), 31, 90),
    (_("91–180 days"), 91, 180),
    (_("More than 180 days"), 181, None),
]


@dataclass(frozen=True)
class FirstCascades:
    """Days from the end of the TOT to the start of each graduate's first cascade."""

    days: list[int]

    @property
    def graduates(self) -> int:
        return len(self.days)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def average_days(self) -> Decimal | None:
        return _average(Decimal(sum(self.days)), len(self.days))

    @property
    def buckets(self) -> list[DaysBucket]:
        return [
            DaysBucket(
                label,
                sum(
                    1
                    for d in self.days
                    if (low is None or d >= low) and (high is None or d <= high)
                ),
            )
            for label, low, high in DAY_BUCKETS
        ]


@dataclass(frozen=True)
class ReachReport:
    root_count: int
    generations: list[GenerationFigures]
    provinces: list[PlaceCount]
    confederations: list[OrganizationCount]
    first_cascades: FirstCascades

    @property
    def members_reached(self) -> int:
        return sum(g.members_reached for g in self.generations)

    @property
    def tot_graduates(self) -> int:
        return sum(g.members_reached for g in self.generations if g.generation == 0)

    @property
    def reached_by_cascades(self) -> int:
        return self.members_reached - self.tot_graduates

    @property
    def multiplier(self) -> float | None:
        if not self.tot_graduates:
            return None
        return self.reached_by_cascades / self.tot_graduates

    @property
    def graduates_who_cascaded(self) -> int:
        return self.first_cascades.graduates

    @property
    def share_who_cascaded(self) -> float | None:
        if not self.tot_graduates:
            return None
        return self.graduates_who_cascaded / self.tot_graduates

    @property
    def by_training_region(self) -> int:
        """Members placed by the region of their training, having none of their own."""
        return sum(province.by_training for province in self.provinces)

    @property
    def is_empty(self) -> bool:
        return not self.generations


EMPTY_REPORT = ReachReport(0, [], [], [], FirstCascades([]))


def tots_in_reach(*, user: AbstractBaseUser) -> QuerySet[Cohort]:
    """The TOTs organized by organizations in the user's reach: the report's roots."""
    return cohorts_managed_by(user).filter(kind=Cohort.Kind.TOT)


# ``reached (member_id, generation, root_id, cohort_id, region_id)``: each member once, at
# the first generation (then the earliest end) that reached them, with that cohort's
# region; ``counted`` the cohorts within the range, ``seats`` their filtered enrollments.
_REACHED_CTES = """
, counted (id, parent_id, generation, root_id, ends_on, region_id) AS (
    SELECT tree.id, tree.parent_id, tree.generation, tree.root_id, c.ends_on, c.region_id
    FROM tree JOIN cohorts_cohort c ON c.id = tree.id
    WHERE 1 = 1 {date_conditions}
), seats (enrollment_id, member_id, status, cohort_id, generation, root_id, ends_on,
          region_id) AS (
    SELECT e.id, e.member_id, e.status, counted.id, counted.generation, counted.root_id,
           counted.ends_on, counted.region_id
    FROM counted JOIN cohorts_enrollment e ON e.cohort_id = counted.id
    {organization_condition}
), first_reached (member_id, generation, root_id, cohort_id, region_id, place) AS (
    SELECT member_id, generation, root_id, cohort_id, region_id,
           ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY generation, ends_on, cohort_id)
    FROM seats WHERE status = %(completed)s
), reached (member_id, generation, root_id, cohort_id, region_id) AS (
    SELECT member_id, generation, root_id, cohort_id, region_id
    FROM first_reached WHERE place = 1
)
"""
_ORGANIZATION_SCOPE_CTE = """
, organization_scope (id) AS (
    SELECT id FROM members_organization WHERE id = %(organization)s
    UNION
    SELECT child.id FROM members_organization child
    JOIN organization_scope ON child.parent_id = organization_scope.id
)
"""
_ORGANIZATION_CONDITION = """
    JOIN members_member scoped ON scoped.id = e.member_id
    WHERE scoped.organization_id IN (SELECT id FROM organization_scope)
"""

_GENERATIONS_SQL = """
, cohorts_per_generation (generation, cohorts) AS (
    SELECT generation, COUNT(*) FROM counted GROUP BY generation
), reached_per_generation (generation, members) AS (
    SELECT generation, COUNT(*) FROM reached GROUP BY generation
), scores (generation, pre, post) AS (
    SELECT seats.generation,
           MAX(CASE WHEN a.kind = %(pre)s THEN a.score_percent END),
           MAX(CASE WHEN a.kind = %(post)s THEN a.score_percent END)
    FROM seats JOIN cohorts_assessmentattempt a ON a.enrollment_id = seats.enrollment_id
    WHERE seats.status IN (%(confirmed)s, %(completed)s, %(incomplete)s)
    GROUP BY seats.generation, seats.enrollment_id
), knowledge (generation, took_both, pre, post) AS (
    SELECT generation, COUNT(*), SUM(pre), SUM(post) FROM scores
    WHERE pre IS NOT NULL AND post IS NOT NULL
    GROUP BY generation
)
SELECT g.generation, g.cohorts, COALESCE(r.members, 0), COALESCE(k.took_both, 0), k.pre, k.post
FROM cohorts_per_generation g
LEFT JOIN reached_per_generation r ON r.generation = g.generation
LEFT JOIN knowledge k ON k.generation = g.generation
ORDER BY g.generation
"""

# Members are counted per region first, then the regions are placed in their provinces.
_PLACES_SQL = """
, placed (region_id, members, by_training) AS (
    SELECT COALESCE(m.region_id, reached.region_id), COUNT(*),
           SUM(CASE WHEN m.region_id IS NULL THEN 1 ELSE 0 END)
    FROM reached JOIN members_member m ON m.id = reached.member_id
    GROUP BY COALESCE(m.region_id, reached.region_id)
), located (province_id, regency_id, members, by_training) AS (
    SELECT CASE WHEN r.level = %(regency)s THEN r.parent_id ELSE r.id END,
           CASE WHEN r.level = %(regency)s THEN r.id END,
           placed.members, placed.by_training
    FROM placed JOIN members_region r ON r.id = placed.region_id
)
SELECT province.id, province.name, regency.id, regency.name,
       SUM(located.members), SUM(located.by_training)
FROM located
JOIN members_region province ON province.id = located.province_id
LEFT JOIN members_region regency ON regency.id = located.regency_id
GROUP BY province.id, province.name, regency.id, regency.name
"""

# Members are counted per organization first, so the walk up and the joins see each
# organization once, not each member.
_ORGANIZATIONS_SQL = """
, reached_organizations (id, members) AS (
    SELECT m.organization_id, COUNT(*)
    FROM reached JOIN members_member m ON m.id = reached.member_id
    GROUP BY m.organization_id
), chain (organization_id, ancestor_id, depth) AS (
    SELECT id, id, 0 FROM reached_organizations
    UNION ALL
    SELECT chain.organization_id, o.parent_id, chain.depth + 1
    FROM chain JOIN members_organization o ON o.id = chain.ancestor_id
    WHERE o.parent_id IS NOT NULL AND chain.depth < %(depth_limit)s
), confederations (organization_id, confederation_id) AS (
    SELECT chain.organization_id, chain.ancestor_id
    FROM chain JOIN members_organization a ON a.id = chain.ancestor_id
    WHERE a.kind = %(confederation)s
), federations (organization_id, federation_id, place) AS (
    SELECT chain.organization_id, chain.ancestor_id,
           ROW_NUMBER() OVER (PARTITION BY chain.organization_id ORDER BY chain.depth DESC)
    FROM chain JOIN members_organization a ON a.id = chain.ancestor_id
    WHERE a.kind = %(federation)s
)
SELECT top.id, top.short_name, top.name, fed.id, fed.short_name, fed.name,
       SUM(reached_organizations.members)
FROM reached_organizations
LEFT JOIN confederations c ON c.organization_id = reached_organizations.id
LEFT JOIN federations f ON f.organization_id = reached_organizations.id AND f.place = 1
LEFT JOIN members_organization top ON top.id = c.confederation_id
LEFT JOIN members_organization fed ON fed.id = f.federation_id
GROUP BY top.id, top.short_name, top.name, fed.id, fed.short_name, fed.name
"""

_FIRST_CASCADES_SQL = """
, graduates (member_id, root_id) AS (
    SELECT DISTINCT member_id, root_id FROM seats
    WHERE generation = 0 AND status = %(completed)s
)
SELECT graduates.member_id, root.ends_on, MIN(led.starts_on)
FROM graduates
JOIN tree ON tree.parent_id = graduates.root_id
JOIN cohorts_cohort_lead_trainers lt
  ON lt.cohort_id = tree.id AND lt.member_id = graduates.member_id
JOIN cohorts_cohort led ON led.id = tree.id
JOIN cohorts_cohort root ON root.id = graduates.root_id
GROUP BY graduates.member_id, graduates.root_id, root.ends_on
"""


def _date_conditions(filters: ReachFilters) -> str:
    conditions = ""
    if filters.ends_from is not None:
        conditions += " AND c.ends_on >= %(ends_from)s"
    if filters.ends_until is not None:
        conditions += " AND c.ends_on <= %(ends_until)s"
    return conditions


def reached_members_sql(
    *, root_ids: Iterable[int], filters: ReachFilters
) -> tuple[str, dict[str, object]]:
    """The shared start of every report query, for callers who add figures of their own:
    ``WITH RECURSIVE tree …, counted …, seats …, reached (member_id, generation, root_id,
    cohort_id, region_id)`` and its parameters. Append ``, more AS (…)`` CTEs and/or a
    ``SELECT … FROM reached``, execute with the parameters (add your own names to them).
    ``root_ids`` must not be empty."""
    roots, params = root_placeholders(root_ids)
    organization = filters.organization
    sql = tree_cte(roots)
    if organization is not None:
        sql += _ORGANIZATION_SCOPE_CTE
    # Constant fragments only; every value is a bound parameter.
    sql += _REACHED_CTES.format(
        date_conditions=_date_conditions(filters),
        organization_condition=_ORGANIZATION_CONDITION if organization is not None else "",
    )
    params.update(
        cancelled=Cohort.Status.CANCELLED,
        completed=Enrollment.Status.COMPLETED,
        confirmed=Enrollment.Status.CONFIRMED,
        incomplete=Enrollment.Status.INCOMPLETE,
        ends_from=filters.ends_from,
        ends_until=filters.ends_until,
        organization=organization.pk if organization is not None else None,
    )
    return sql, params


def _fetch(start: str, params: dict[str, object], tail: str, **more: object) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(start + tail, {**params, **more})
        return cursor.fetchall()


def _generations(rows: list[tuple]) -> list[GenerationFigures]:
    return [
        GenerationFigures(
            generation=generation,
            cohorts=cohorts,
            members_reached=reached,
            knowledge=KnowledgeGain.of_totals(took_both, pre_total, post_total),
        )
        for generation, cohorts, reached, took_both, pre_total, post_total in rows
    ]


def _provinces(rows: list[tuple]) -> list[PlaceCount]:
    """Provinces, each with its regencies (and "not known" for province-level places),
    the most reached first."""
    regencies: dict[tuple[int, str], list[PlaceCount]] = {}
    for province_id, province_name, regency_id, regency_name, members, by_training in rows:
        regencies.setdefault((province_id, province_name), []).append(
            PlaceCount(regency_id, regency_name or "", int(members), int(by_training or 0))
        )
    provinces = [
        PlaceCount(
            region_id=province_id,
            name=name,
            members=sum(part.members for part in parts),
            by_training=sum(part.by_training for part in parts),
            parts=sorted(parts, key=lambda p: (p.region_id is None, -p.members, p.name)),
        )
        for (province_id, name), parts in regencies.items()
    ]
    return sorted(provinces, key=lambda p: (-p.members, p.name))


def _confederations(rows: list[tuple]) -> list[OrganizationCount]:
    """Confederations, each with its federations, the most reached first; members outside
    any confederation (or federation) under an entry whose ``organization_id`` is None."""
    federations: dict[tuple, list[OrganizationCount]] = {}
    for top_id, top_short, top_name, fed_id, fed_short, fed_name, members in rows:
        federations.setdefault((top_id, top_short or "", top_name or ""), []).append(
            OrganizationCount(fed_id, fed_short or "", fed_name or "", int(members))
        )
    confederations = [
        OrganizationCount(
            organization_id=top_id,
            short_name=short_name,
            name=name,
            members=sum(part.members for part in parts),
            parts=sorted(parts, key=lambda o: (o.organization_id is None, -o.members, o.name)),
        )
        for (top_id, short_name, name), parts in federations.items()
    ]
    return sorted(confederations, key=lambda o: (o.organization_id is None, -o.members, o.name))


def _as_date(value: date | str) -> date:
    """SQLite hands back an aggregate of a date column as its ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _first_cascades(rows: list[tuple]) -> FirstCascades:
    shortest: dict[int, int] = {}
    for member_id, tot_ends_on, first_start in rows:
        days = (_as_date(first_start) - _as_date(tot_ends_on)).days
        shortest[member_id] = min(days, shortest.get(member_id, days))
    return FirstCascades(sorted(shortest.values()))


def reach_report(*, root_ids: Iterable[int], filters: ReachFilters | None = None) -> ReachReport:
    """Every figure of the report for the trees below ``root_ids`` (TOT cohort ids; see
    ``tots_in_reach``): four queries whatever the depth and size, none without roots."""
    root_ids = list(root_ids)
    if not root_ids:
        return EMPTY_REPORT
    start, params = reached_members_sql(root_ids=root_ids, filters=filters or ReachFilters())
    kinds = Organization.Kind
    return ReachReport(
        root_count=len(root_ids),
        generations=_generations(
            _fetch(
                start,
                params,
                _GENERATIONS_SQL,
                pre=AssessmentAttempt.Kind.PRE,
                post=AssessmentAttempt.Kind.POST,
            )
        ),
        provinces=_provinces(_fetch(start, params, _PLACES_SQL, regency=Region.Level.REGENCY)),
        confederations=_confederations(
            _fetch(
                start,
                params,
                _ORGANIZATIONS_SQL,
                confederation=kinds.CONFEDERATION,
                federation=kinds.FEDERATION,
                depth_limit=ORGANIZATION_DEPTH_LIMIT,
            )
        ),
        first_cascades=_first_cascades(_fetch(start, params, _FIRST_CASCADES_SQL)),
    )
