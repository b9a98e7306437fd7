"""The reach report: how far one TOT, or every TOT in an organizer's reach, has cascaded.

Computed in the database over the lineage walk of ``cascade.py`` (``tree_cte``) started
from every root at once: five queries whatever the depth and size of the trees (none when
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
- a graduate "ran a cascade" when they lead a cascade whose parent is the TOT they
  graduated from and which is running or completed (a draft or an open one has not run
  yet), whenever it runs; the time to it is the days from that TOT's
  end to the start of their first such cascade (their shortest, with several TOTs);
- trainer progression among the members reached: each at their highest stage
  (participant, co-facilitator, trainer; see ``cohorts.selectors.progression``), whatever
  the date filter says about when they got there;
- knowledge gain, per registration (confirmed, completed or incomplete) that has both a
  pre-test and a post-test: best post-test score − pre-test score, in points; averaged per
  generation. A member trained twice counts in both trainings here.
"""

import re
from collections.abc import Iterable
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from cohorts.models import AssessmentAttempt, Cohort, Enrollment
from cohorts.permissions import cohorts_managed_by
from cohorts.selectors.cascade import fetch_rows, root_placeholders, tree_cte
from cohorts.selectors.progression import progression_counts
from cohorts.selectors.reach_report.figures import (
    EMPTY_REPORT,
    DaysBucket,
    FirstCascades,
    GenerationFigures,
    KnowledgeGain,
    OrganizationCount,
    PlaceCount,
    ReachFilters,
    ReachReport,
)
from cohorts.selectors.reach_report.sql import (
    FIRST_CASCADES_SQL,
    GENERATIONS_SQL,
    ORGANIZATION_CONDITION,
    ORGANIZATION_SCOPE_CTE,
    ORGANIZATIONS_SQL,
    PLACES_SQL,
    REACHED_CTES,
)
from members.models import Member, Organization, Region

__all__ = [
    "DaysBucket",
    "FirstCascades",
    "GenerationFigures",
    "KnowledgeGain",
    "OrganizationCount",
    "PlaceCount",
    "ReachFilters",
    "ReachReport",
    "reach_report",
    "reached_members_sql",
    "tots_in_reach",
]

# Generations deeper than this in an organization's parents would mean a loop.
ORGANIZATION_DEPTH_LIMIT = 20


def tots_in_reach(*, user: AbstractBaseUser) -> QuerySet[Cohort]:
    """The TOTs organized by organizations in the user's reach: the report's roots."""
    return cohorts_managed_by(user).filter(kind=Cohort.Kind.TOT)


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
        sql += ORGANIZATION_SCOPE_CTE
    # Constant fragments only; every value is a bound parameter.
    sql += REACHED_CTES.format(
        date_conditions=_date_conditions(filters),
        organization_condition=ORGANIZATION_CONDITION if organization is not None else "",
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


NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def reached_member_ids(*, start: str, params: dict[str, object]) -> RawSQL:
    """The reached members' ids as a subquery the ORM can use (``pk__in=``): the ORM
    binds parameters by position, so the named ones are put in order."""
    ordered = [params[name] for name in NAMED_PLACEHOLDER.findall(start)]
    # Constant text around placeholders only; every value is a bound parameter.
    sql = NAMED_PLACEHOLDER.sub("%s", start) + " SELECT member_id FROM reached"  # noqa: S608
    return RawSQL(sql, ordered)  # noqa: S611


def _fetch(start: str, params: dict[str, object], tail: str, **more: object) -> list[tuple]:
    return fetch_rows(start + tail, {**params, **more})


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
    ``tots_in_reach``): five queries whatever the depth and size, none without roots."""
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
                GENERATIONS_SQL,
                pre=AssessmentAttempt.Kind.PRE,
                post=AssessmentAttempt.Kind.POST,
            )
        ),
        provinces=_provinces(_fetch(start, params, PLACES_SQL, regency=Region.Level.REGENCY)),
        confederations=_confederations(
            _fetch(
                start,
                params,
                ORGANIZATIONS_SQL,
                confederation=kinds.CONFEDERATION,
                federation=kinds.FEDERATION,
                depth_limit=ORGANIZATION_DEPTH_LIMIT,
            )
        ),
        first_cascades=_first_cascades(
            _fetch(
                start,
                params,
                FIRST_CASCADES_SQL,
                running=Cohort.Status.RUNNING,
                completed_cohort=Cohort.Status.COMPLETED,
            )
        ),
        progression=progression_counts(
            member_ids=Member.objects.filter(pk__in=reached_member_ids(start=start, params=params))
        ),
    )
