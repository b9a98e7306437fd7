"""Benchmark a TOT's cascade lineage and reach on a deep, wide tree: 6 generations of
cascades below the TOT and about 1,000,000 attendance rows, on Postgres.

    .venv/bin/python bench/cascade_reach.py [--generations 6] [--branching 3]
        [--participants 18] [--sessions 8] [--repeat 7] [--keep] [--reuse] [--no-record]

The tree (set-based SQL, one INSERT … SELECT per table and generation): a TOT of 30
graduates, 20 of whom each lead a cascade; in every cascade 18 members take part and 16
complete, and 3 of those 16 lead a cascade of their own, down to the 6th generation; in
the last generation one cascade in 40 was cancelled (its registrations too). Every
cohort has 8 held sessions and a roll call for each (present, or mostly absent for those
who did not complete). Every participant is a new member. The shape is printed.

What it measures, for each selector in ``_selectors()`` (the TOT as root: its tree, its
reach, the organizers' reach report):
- cold: the first call in a new database connection (empty backend caches; Postgres'
  shared buffers and the OS page cache are as the previous call left them: the server is
  shared, so it is not restarted),
- warm: calls repeated in the same connection,
each ``--repeat`` times, the median and the range; and the queries one call issues.
The reach query's plan (EXPLAIN ANALYZE, BUFFERS) is printed when it is slow (over
``--explain-over`` seconds warm) or with ``--explain``.

The database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
tot_bench_cascade) is dropped and made again, migrated and filled, and dropped at the
end unless ``--keep``; ``--reuse`` times a tree kept by an earlier run without building
it again. Appends the result to BENCHMARKS.md unless ``--no-record``. Not part of the test
suite (pytest collects only tests/) and not run by CI: timings are never asserted.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tot_bench_cascade"
ROOT_SLUG = "bench-tot"
TEMPLATE_SLUG = "bench-template"


def _selectors() -> dict[str, Callable]:
    """What is timed, by name: each takes the TOT. Time another selector of a TOT's
    cascade by adding one line."""
    from cohorts.selectors.cascade import cascade_reach, cascade_tree
    from cohorts.selectors.reach_report import reach_report

    return {
        "cascade_tree": lambda root: cascade_tree(root=root),
        "cascade_reach": lambda root: cascade_reach(root=root),
        "reach_report": lambda root: reach_report(root_ids=[root.pk]),
    }


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass(frozen=True)
class Shape:
    generations: int = 6
    tot_graduates: int = 30
    tot_leads: int = 20  # TOT graduates who each lead one cascade
    branching: int = 3  # graduates of a cascade who each lead one of their own
    participants: int = 18  # per cascade
    not_completing: int = 2  # per cascade
    sessions: int = 8  # per cohort, TOT included
    cancelled_one_in: int = 40  # in the last generation

    def cohorts(self, generation: int) -> int:
        if generation == 0:
            return 1
        return self.tot_leads * self.branching ** (generation - 1)

    @property
    def cancelled(self) -> int:
        return self.cohorts(self.generations) // self.cancelled_one_in

    @property
    def cascades(self) -> int:
        return sum(self.cohorts(g) for g in range(1, self.generations + 1))

    @property
    def enrollments(self) -> int:
        return self.tot_graduates + self.cascades * self.participants

    @property
    def attendance(self) -> int:
        held = self.tot_graduates + (self.cascades - self.cancelled) * self.participants
        return held * self.sessions

    def describe(self) -> str:
        per_generation = ", ".join(f"{g}: {self.cohorts(g):,}" for g in range(self.generations + 1))
        return (
            f"TOT of {self.tot_graduates} graduates, {self.tot_leads} of them lead a cascade; "
            f"{self.participants} participants per cascade, "
            f"{self.participants - self.not_completing} complete and {self.branching} of those "
            "lead one of their own; "
            f"{self.generations} generations of cascades; one in {self.cancelled_one_in} of the "
            f"last generation cancelled; {self.sessions} held sessions per cohort. Cohorts per "
            f"generation — {per_generation} ({1 + self.cascades:,} in all, {self.cancelled:,} "
            f"cancelled); {self.enrollments:,} registrations and members; "
            f"{self.attendance:,} attendance rows"
        )


# --- the database --------------------------------------------------------------------------


def _configure(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tot_platform.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40 + "-not-for-production")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()


def _admin(database_url: str, sql: str) -> None:
    import psycopg

    admin_url = urlparse(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql)


def _database_name(database_url: str) -> str:
    return urlparse(database_url).path.lstrip("/")


def _recreate(database_url: str) -> None:
    name = _database_name(database_url)
    _admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(database_url, f'CREATE DATABASE "{name}"')


def _drop(database_url: str) -> None:
    from django.db import connections

    connections.close_all()
    _admin(database_url, f'DROP DATABASE IF EXISTS "{_database_name(database_url)}" WITH (FORCE)')


# --- building the tree -----------------------------------------------------------------------


def _copy(model, *, template_id: int, source: str, overrides: dict[str, str]) -> str:
    """INSERT … SELECT that copies the template row once for each row of ``source``,
    with ``overrides`` (column → SQL expression over ``source`` as ``s``); every other
    column keeps the template's value (Django's defaults, which the database does not
    know)."""
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    unknown = set(overrides) - set(columns)
    if unknown:
        raise ValueError(f"not columns of {model._meta.db_table}: {sorted(unknown)}")
    values = ", ".join(overrides.get(column, f"t.{column}") for column in columns)
    table = model._meta.db_table
    # Table and column names come from the models; values are SQL written here.
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {values} FROM {source} s JOIN {table} t ON t.id = {int(template_id)}"
    )


@dataclass(frozen=True)
class Templates:
    root: int
    cohort: int
    session: int
    member: int
    enrollment: int
    attendance: int
    organization: int


def _templates() -> Templates:
    """The TOT, and one row of each kind made by the ORM (so every column has Django's
    default) on a cohort outside the tree; the SQL copies them, and they go at the end."""
    import datetime as dt

    from django.utils import timezone

    from cohorts.models import Attendance, Cohort, Enrollment, Session
    from curriculum.models import Curriculum
    from members.models import Member, Organization, Region

    organization = Organization.objects.create(
        name="Konfederasi Bench", short_name="BENCH", kind=Organization.Kind.CONFEDERATION
    )
    curriculum = Curriculum.objects.create(
        title="Dialog Sosial", slug="dialog-sosial", owner=organization, status="published"
    )
    region = Region.objects.get(code="16.73")
    starts_on = timezone.localdate() - dt.timedelta(days=3 * 365)
    common = {
        "curriculum": curriculum,
        "region": region,
        "time_zone": "Asia/Jakarta",
        "starts_on": starts_on,
        "ends_on": starts_on + dt.timedelta(days=2),
        "capacity": 40,
        "status": Cohort.Status.COMPLETED,
    }
    root = Cohort.objects.create(title="TOT Bench", slug=ROOT_SLUG, **common)
    root.organizers.add(organization)
    trainers = Member.objects.bulk_create(
        Member(full_name=f"Pelatih {n}", organization=organization) for n in (1, 2)
    )
    root.lead_trainers.set(trainers)
    template = Cohort.objects.create(
        title="Template", slug=TEMPLATE_SLUG, kind=Cohort.Kind.CASCADE, parent=root, **common
    )
    member = Member.objects.create(full_name="Template", organization=organization)
    enrollment = Enrollment.objects.create(cohort=template, member=member, status="completed")
    now = timezone.now()
    session = Session.objects.create(
        cohort=template, title="Sesi", starts_at=now, ends_at=now + dt.timedelta(hours=1)
    )
    attendance = Attendance.objects.create(enrollment=enrollment, session=session, status="present")
    return Templates(
        root.pk, template.pk, session.pk, member.pk, enrollment.pk, attendance.pk, organization.pk
    )


def _execute(sql: str, params: dict | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _cohorts(shape: Shape, t: Templates) -> None:
    """Generation by generation: each cohort of the one above has its children, k = 1 …
    (the TOT: ``tot_leads``, a cascade: ``branching``); the k-th child's lead is the k-th
    graduate of its parent (set once the registrations exist)."""
    from cohorts.models import Cohort

    _execute(
        "CREATE TABLE bench_tree (cohort_id bigint PRIMARY KEY, parent_id bigint, "
        "generation int NOT NULL, k int NOT NULL)"
    )
    _execute("INSERT INTO bench_tree VALUES (%(root)s, NULL, 0, 0)", {"root": t.root})
    last = shape.generations
    for generation in range(1, last + 1):
        children = shape.tot_leads if generation == 1 else shape.branching
        source = (
            "(SELECT tree.cohort_id AS parent_id, child.k, "  # noqa: S608
            "parent.starts_on + 30 + child.k AS starts_on "
            "FROM bench_tree tree JOIN cohorts_cohort parent ON parent.id = tree.cohort_id "
            f"CROSS JOIN generate_series(1, {int(children)}) AS child(k) "
            f"WHERE tree.generation = {generation - 1})"
        )
        insert = _copy(
            Cohort,
            template_id=t.cohort,
            source=source,
            overrides={
                "title": f"'Pelatihan berjenjang G{generation} ' || s.parent_id || '.' || s.k",
                "slug": "'bench-' || s.parent_id || '-' || s.k",
                "parent_id": "s.parent_id",
                "starts_on": "s.starts_on",
                "ends_on": "s.starts_on + 1",
            },
        )
        _execute(
            f"WITH made AS ({insert} RETURNING id, parent_id, slug) "  # noqa: S608
            "INSERT INTO bench_tree SELECT id, parent_id, %(generation)s, "
            "split_part(slug, '-', 3)::int FROM made",
            {"generation": generation},
        )
    _execute(
        "UPDATE cohorts_cohort cohort SET status = 'cancelled' FROM (SELECT cohort_id, "
        "row_number() OVER (ORDER BY cohort_id) AS n FROM bench_tree WHERE generation = %(last)s) "
        "tree WHERE cohort.id = tree.cohort_id AND mod(tree.n, %(one_in)s) = 0",
        {"last": last, "one_in": shape.cancelled_one_in},
    )


def _people(shape: Shape, t: Templates) -> None:
    from cohorts.models import Enrollment
    from members.models import Member

    _execute(
        _copy(
            Member,
            template_id=t.member,
            source=f"(SELECT n FROM generate_series(1, {int(shape.enrollments)}) AS n)",  # noqa: S608
            overrides={"full_name": "'Anggota ' || s.n"},
        )
    )
    completing = shape.participants - shape.not_completing
    seats = (
        "(SELECT tree.cohort_id, place.k, cohort.status AS cohort_status, "
        "CASE WHEN tree.generation = 0 THEN 0 ELSE %(completing)s END AS completing, "
        "row_number() OVER (ORDER BY tree.cohort_id, place.k) AS rn "
        "FROM bench_tree tree JOIN cohorts_cohort cohort ON cohort.id = tree.cohort_id "
        "CROSS JOIN LATERAL generate_series(1, CASE WHEN tree.generation = 0 "
        "THEN %(tot)s ELSE %(participants)s END) AS place(k))"
    )
    people = (
        "(SELECT seat.*, person.id AS member_id FROM "  # noqa: S608
        f"{seats} seat JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn "
        "FROM members_member WHERE id > %(template_member)s) person ON person.rn = seat.rn)"
    )
    status = (
        "CASE WHEN s.cohort_status = 'cancelled' THEN 'cancelled' "
        "WHEN s.completing = 0 OR s.k <= s.completing THEN 'completed' ELSE 'incomplete' END"
    )
    insert = _copy(
        Enrollment,
        template_id=t.enrollment,
        source=people,
        overrides={
            "cohort_id": "s.cohort_id",
            "member_id": "s.member_id",
            "status": status,
            "ticket_code": "replace(gen_random_uuid()::text, '-', '')",
        },
    )
    _execute(
        insert,
        {
            "completing": completing,
            "tot": shape.tot_graduates,
            "participants": shape.participants,
            "template_member": t.member,
        },
    )


def _leads() -> None:
    _execute(
        "INSERT INTO cohorts_cohort_lead_trainers (cohort_id, member_id) "
        "SELECT child.cohort_id, graduate.member_id FROM bench_tree child "
        "JOIN (SELECT cohort_id, member_id, "
        "row_number() OVER (PARTITION BY cohort_id ORDER BY id) AS k "
        "FROM cohorts_enrollment WHERE status = 'completed') graduate "
        "ON graduate.cohort_id = child.parent_id AND graduate.k = child.k "
        "WHERE child.generation > 0"
    )


def _sessions_and_attendance(shape: Shape, t: Templates) -> None:
    from cohorts.models import Attendance, Session

    day = 4  # sessions a day, two hours apart from 08:00 WIB (01:00 UTC)
    source = (
        "(SELECT cohort.id AS cohort_id, cohort.status AS cohort_status, n, "  # noqa: S608
        f"((cohort.starts_on + (n - 1) / {day})::timestamp + make_interval(hours => "
        f"1 + 2 * mod(n - 1, {day}))) AT TIME ZONE 'UTC' AS starts_at "
        "FROM bench_tree tree JOIN cohorts_cohort cohort ON cohort.id = tree.cohort_id "
        f"CROSS JOIN generate_series(1, {int(shape.sessions)}) n)"
    )
    _execute(
        _copy(
            Session,
            template_id=t.session,
            source=source,
            overrides={
                "cohort_id": "s.cohort_id",
                "title": "'Sesi ' || s.n",
                "starts_at": "s.starts_at",
                "ends_at": "s.starts_at + interval '90 minutes'",
                "status": "CASE WHEN s.cohort_status = 'cancelled' THEN 'cancelled' "
                "ELSE 'held' END",
                "uid": "gen_random_uuid()",
            },
        )
    )
    roll = (
        "(SELECT e.id AS enrollment_id, e.status AS enrollment_status, session.id AS session_id "
        "FROM bench_tree tree JOIN cohorts_enrollment e ON e.cohort_id = tree.cohort_id "
        "JOIN cohorts_session session ON session.cohort_id = tree.cohort_id "
        "WHERE e.status <> 'cancelled')"
    )
    _execute(
        _copy(
            Attendance,
            template_id=t.attendance,
            source=roll,
            overrides={
                "enrollment_id": "s.enrollment_id",
                "session_id": "s.session_id",
                "status": "CASE WHEN s.enrollment_status = 'completed' "
                "OR mod(s.session_id, 4) = 0 THEN 'present' ELSE 'absent' END",
            },
        )
    )


def _drop_templates(t: Templates) -> None:
    for sql in (
        "DELETE FROM cohorts_attendance WHERE id = %(attendance)s",
        "DELETE FROM cohorts_session WHERE id = %(session)s",
        "DELETE FROM cohorts_enrollment WHERE id = %(enrollment)s",
        "DELETE FROM cohorts_cohortstatuschange WHERE cohort_id = %(cohort)s",
        "DELETE FROM cohorts_cohort WHERE id = %(cohort)s",
        "DELETE FROM members_member WHERE id = %(member)s",
    ):
        _execute(sql, t.__dict__)


def build(shape: Shape) -> dict[str, float]:
    """Fill the migrated database; seconds per step."""
    from django.db import transaction

    steps: dict[str, float] = {}

    def step(name: str, work: Callable[[], None]) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            work()
        steps[name] = time.perf_counter() - started
        _say(f"  {name}: {steps[name]:.1f} s")

    holder: dict[str, Templates] = {}
    step("templates (ORM)", lambda: holder.setdefault("t", _templates()))
    t = holder["t"]
    step("cohorts, generation by generation", lambda: _cohorts(shape, t))
    step("members and registrations", lambda: _people(shape, t))
    step("lead trainers", _leads)
    step("sessions and attendance", lambda: _sessions_and_attendance(shape, t))
    step("template rows removed", lambda: _drop_templates(t))
    started = time.perf_counter()
    _execute("VACUUM ANALYZE")  # outside a transaction: fresh statistics and visibility map
    steps["VACUUM ANALYZE"] = time.perf_counter() - started
    _say(f"  VACUUM ANALYZE: {steps['VACUUM ANALYZE']:.1f} s")
    return steps


def _counts() -> dict[str, int]:
    from django.db import connection

    tables = ("cohorts_cohort", "members_member", "cohorts_enrollment", "cohorts_session")
    counts = {}
    with connection.cursor() as cursor:
        for table in (*tables, "cohorts_attendance"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cohorts_cohort WHERE status = 'cancelled'")
        counts["of the cohorts cancelled"] = cursor.fetchone()[0]
    return counts


# --- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    name: str
    cold: list[float]
    warm: list[float]
    queries: int

    @staticmethod
    def _ms(values: list[float]) -> str:
        low, middle, high = (
            1000 * v for v in (min(values), statistics.median(values), max(values))
        )
        return f"{middle:,.0f} ({low:,.0f}–{high:,.0f})"

    def row(self) -> str:
        return f"| `{self.name}` | {self._ms(self.cold)} | {self._ms(self.warm)} | {self.queries} |"


def _root():
    from cohorts.models import Cohort

    return Cohort.objects.get(slug=ROOT_SLUG)


def _time(name: str, selector: Callable, repeat: int) -> Timing:
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    cold = []
    for _ in range(repeat):
        connections.close_all()
        root = _root()  # opens the new connection; not timed
        started = time.perf_counter()
        selector(root)
        cold.append(time.perf_counter() - started)
    root = _root()
    selector(root)
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        selector(root)
        warm.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        selector(root)
    return Timing(name, cold, warm, len(queries.captured_queries))


def _explain_reach() -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cohorts.selectors.cascade import cascade_reach

    root = _root()
    with CaptureQueriesContext(connection) as queries:
        cascade_reach(root=root)
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        return "\n".join(row[0] for row in cursor.fetchall())


def _reach_summary() -> str:
    from cohorts.selectors.cascade import cascade_reach

    reach = cascade_reach(root=_root())
    generations = ", ".join(
        f"{g.generation}: {g.members_reached:,} in {g.cohorts:,}" for g in reach.generations
    )
    return (
        f"members reached per generation (in cohorts) — {generations}; "
        f"{reach.members_reached:,} in all, multiplier {reach.multiplier:,.1f}, "
        f"{reach.graduates_who_cascaded} of {reach.tot_graduates} TOT graduates led a cascade"
    )


# --- the run ---------------------------------------------------------------------------------


def _machine() -> str:
    from django.db import connection

    memory, processor = "", platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                processor = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs ({processor}){memory}, "
        f"Linux; Python {platform.python_version()}, PostgreSQL {version} on the same machine "
        f"(shared_buffers {buffers}); load average {load:.1f} before timing"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shape = Shape()
    parser.add_argument("--generations", type=int, default=shape.generations)
    parser.add_argument("--branching", type=int, default=shape.branching)
    parser.add_argument("--participants", type=int, default=shape.participants)
    parser.add_argument("--sessions", type=int, default=shape.sessions)
    parser.add_argument("--repeat", type=int, default=7, help="calls per measurement")
    parser.add_argument("--explain", action="store_true", help="print the reach query's plan")
    parser.add_argument("--explain-over", type=float, default=0.5, help="seconds, warm")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true", help="time a tree kept by --keep")
    parser.add_argument("--no-record", action="store_true", help="do not touch BENCHMARKS.md")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    shape = Shape(
        generations=args.generations,
        branching=args.branching,
        participants=args.participants,
        sessions=args.sessions,
    )
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not args.reuse:
        _recreate(database_url)
    _configure(database_url)
    from django.core.management import call_command

    steps: dict[str, float] = {}
    _say(f"Shape: {shape.describe()}.")
    if not args.reuse:
        call_command("migrate", verbosity=0)
        _say("building the tree …")
        started = time.perf_counter()
        steps = build(shape)
        _say(f"built in {time.perf_counter() - started:.0f} s")
    counts = _counts()
    _say("rows: " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
    _say(_reach_summary())
    machine = _machine()
    timings = []
    for name, selector in _selectors().items():
        timing = _time(name, selector, args.repeat)
        timings.append(timing)
        _say(timing.row())
    reach = next(t for t in timings if t.name == "cascade_reach")
    plan = ""
    if args.explain or statistics.median(reach.warm) > args.explain_over:
        plan = _explain_reach()
        _say("EXPLAIN (ANALYZE, BUFFERS) of the reach query:\n" + plan)
    if not args.keep:
        _drop(database_url)
    if not args.no_record:
        _record(shape, steps, counts, machine, timings, args)
    return 0


def _record(shape, steps, counts, machine, timings, args) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    built = (
        f"built in {sum(steps.values()):.0f} s ("
        + "; ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())
        + ")"
        if steps
        else "reused from an earlier run"
    )
    rows = "\n".join(timing.row() for timing in timings)
    text = f"""
## Cascade lineage and reach (issue 9), {shape.generations} generations, {counts["cohorts_attendance"]:,} attendance rows — {stamp}

- Command: `.venv/bin/python bench/cascade_reach.py --generations {shape.generations} --branching {shape.branching} --participants {shape.participants} --sessions {shape.sessions} --repeat {args.repeat}`
- Machine: {machine}
- Shape: {shape.describe()}
- Rows: {", ".join(f"{table} {count:,}" for table, count in counts.items())}; {built}

| selector (the TOT as root) | cold ms, median (range) | warm ms, median (range) | queries |
|---|---:|---:|---:|
{rows}
"""  # noqa: E501 - a table row is one line
    with (ROOT / "BENCHMARKS.md").open("a", encoding="utf-8") as benchmarks:
        benchmarks.write(text)


if __name__ == "__main__":
    sys.exit(main())
