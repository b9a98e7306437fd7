"""The cascade lineage of a TOT and how far it reached, computed in the database.

The tree is the TOT › the cascade cohorts whose parent it is › their cascades … (each
cascade points to the cohort its lead trainer graduated from). A recursive CTE walks it
in one query whatever its depth; the reach figures are one aggregate query over the same
walk. Cancelled cohorts (and everything below them) are left out. The walk (``tree_cte``)
may start from several roots at once; the reach report (``reach_report.py``) does so.

Who counts as reached: a member with a *completed* registration in a cohort of the tree.
Generation 0 is the TOT's own graduates; generation n the graduates of cascades n levels
below it. A member trained twice counts once, in the earliest generation that reached
them; the per-generation figures therefore add up to the total.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from cohorts.models import Cohort, Enrollment
from cohorts.selectors import CohortStatusShown


def tree_cte(roots: str = "%(root)s") -> str:
    """``WITH RECURSIVE tree (id, parent_id, generation, root_id)``: every cohort below the
    roots (a comma-separated list of placeholders whose values the caller binds) with its
    generation and the root it descends from. Cancelled cohorts stop the walk, so their
    subtrees are left out; ``%(cancelled)s`` must be bound too. Further common table
    expressions may follow (``, name AS (…)``) in the same ``WITH RECURSIVE``."""
    # Constant text around placeholders only; every value is a bound parameter.
    return f"""
WITH RECURSIVE tree (id, parent_id, generation, root_id) AS (
    SELECT id, parent_id, 0, id FROM cohorts_cohort
    WHERE id IN ({roots}) AND status <> %(cancelled)s
    UNION ALL
    SELECT child.id, child.parent_id, tree.generation + 1, tree.root_id
    FROM cohorts_cohort child JOIN tree ON child.parent_id = tree.id
    WHERE child.status <> %(cancelled)s
)
"""  # noqa: S608


TREE_SQL = tree_cte()


def root_placeholders(root_ids: Iterable[int]) -> tuple[str, dict[str, int]]:
    """Placeholders for ``tree_cte`` and their values: ``("%(root_0)s, %(root_1)s", {…})``.
    Named one by one because neither SQLite nor every driver binds a list to ``IN``."""
    values = {f"root_{index}": root_id for index, root_id in enumerate(root_ids)}
    return ", ".join(f"%({name})s" for name in values), values


@dataclass(frozen=True)
class TreeNode(CohortStatusShown):
    cohort_id: int
    parent_id: int | None
    generation: int
    title: str
    slug: str
    status: str
    starts_on: date
    ends_on: date
    region: str
    lead_trainers: list[tuple[int, str]]  # (member id, name)
    participants: int  # confirmed, completed or not: those who took part
    completed: int
    children: list["TreeNode"] = field(default_factory=list, compare=False)


@dataclass(frozen=True)
class GenerationReach:
    generation: int
    cohorts: int
    members_reached: int


@dataclass(frozen=True)
class Reach:
    generations: list[GenerationReach]
    members_reached: int  # everyone, once
    tot_graduates: int
    graduates_who_cascaded: int

    @property
    def reached_by_cascades(self) -> int:
        return self.members_reached - self.tot_graduates

    @property
    def multiplier(self) -> float | None:
        """Members reached by cascades for each TOT graduate."""
        if not self.tot_graduates:
            return None
        return self.reached_by_cascades / self.tot_graduates

    @property
    def share_who_cascaded(self) -> float | None:
        if not self.tot_graduates:
            return None
        return self.graduates_who_cascaded / self.tot_graduates


def fetch_rows(sql: str, params: dict[str, object]) -> list[tuple]:
    """Rows of one raw query (the cascade's recursive SQL is no ORM query)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def lead_trainers_of(cohort_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """Each cohort's lead trainers as (member id, name), by name: one query."""
    pairs = Cohort.lead_trainers.through.objects.filter(cohort_id__in=cohort_ids)
    leads: dict[int, list[tuple[int, str]]] = {}
    for cohort_id, member_id, name in pairs.order_by("member__full_name").values_list(
        "cohort_id", "member_id", "member__full_name"
    ):
        leads.setdefault(cohort_id, []).append((member_id, name))
    return leads


def _params(root: Cohort) -> dict:
    return {
        "root": root.pk,
        "cancelled": Cohort.Status.CANCELLED,
        "confirmed": Enrollment.Status.CONFIRMED,
        "completed": Enrollment.Status.COMPLETED,
        "incomplete": Enrollment.Status.INCOMPLETE,
        "running": Cohort.Status.RUNNING,
        "completed_cohort": Cohort.Status.COMPLETED,
    }


def cascade_tree(*, root: Cohort) -> list[TreeNode]:
    """Every cohort of the tree with its generation, lead trainers and counts, parents
    before children: two queries whatever the depth (plain SQL that SQLite runs too)."""
    # Constant text; every value is a query parameter.
    sql = (
        TREE_SQL  # noqa: S608
        + """
    SELECT c.id, tree.parent_id, tree.generation, c.title, c.slug, c.status,
           c.starts_on, c.ends_on, region.name,
           SUM(CASE WHEN e.status IN (%(confirmed)s, %(completed)s, %(incomplete)s)
               THEN 1 ELSE 0 END),
           SUM(CASE WHEN e.status = %(completed)s THEN 1 ELSE 0 END)
    FROM tree
    JOIN cohorts_cohort c ON c.id = tree.id
    JOIN members_region region ON region.id = c.region_id
    LEFT JOIN cohorts_enrollment e ON e.cohort_id = c.id
    GROUP BY c.id, tree.parent_id, tree.generation, region.name
    ORDER BY tree.generation, c.starts_on, c.id
    """
    )
    rows = fetch_rows(sql, _params(root))
    leads = lead_trainers_of([row[0] for row in rows])
    return [
        TreeNode(*row[:9], leads.get(row[0], []), int(row[9] or 0), int(row[10] or 0))
        for row in rows
    ]


def cascade_forest(nodes: list[TreeNode]) -> TreeNode | None:
    """The flat walk as a tree: each node's children in order, the root returned."""
    by_id = {node.cohort_id: node for node in nodes}
    for node in nodes:
        parent = by_id.get(node.parent_id)
        if parent is not None and node.generation > 0:
            parent.children.append(node)
    return nodes[0] if nodes else None


def cascade_reach(*, root: Cohort) -> Reach:
    """Members reached per generation (each member once, at their first generation),
    the TOT's graduates, and how many of them led a cascade: one query."""
    # Constant text; every value is a query parameter.
    sql = (
        TREE_SQL  # noqa: S608
        + """
    , reached AS (
        SELECT e.member_id, MIN(tree.generation) AS generation
        FROM tree JOIN cohorts_enrollment e ON e.cohort_id = tree.id
        WHERE e.status = %(completed)s
        GROUP BY e.member_id
    ), graduates AS (
        SELECT e.member_id FROM cohorts_enrollment e
        WHERE e.cohort_id = %(root)s AND e.status = %(completed)s
    ), cascaded AS (
        SELECT DISTINCT lt.member_id
        FROM tree JOIN cohorts_cohort_lead_trainers lt ON lt.cohort_id = tree.id
        JOIN cohorts_cohort led ON led.id = tree.id
        WHERE tree.parent_id = %(root)s
          AND led.status IN (%(running)s, %(completed_cohort)s)
          AND lt.member_id IN (SELECT member_id FROM graduates)
    ), reached_per_generation AS (
        SELECT generation, COUNT(*) AS members FROM reached GROUP BY generation
    )
    SELECT tree.generation,
           COUNT(DISTINCT tree.id),
           COALESCE(MAX(per_generation.members), 0),
           (SELECT COUNT(*) FROM graduates),
           (SELECT COUNT(*) FROM cascaded)
    FROM tree
    LEFT JOIN reached_per_generation per_generation
      ON per_generation.generation = tree.generation
    GROUP BY tree.generation
    ORDER BY tree.generation
    """
    )
    rows = fetch_rows(sql, _params(root))
    generations = [GenerationReach(g, cohorts, reached) for g, cohorts, reached, _, _ in rows]
    graduates, cascaded = (rows[0][3], rows[0][4]) if rows else (0, 0)
    return Reach(
        generations=generations,
        members_reached=sum(g.members_reached for g in generations),
        tot_graduates=graduates,
        graduates_who_cascaded=cascaded,
    )
