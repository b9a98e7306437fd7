"""Benchmark the member import: a generated 100,000-row CSV through create, validate and
apply, on a throwaway Postgres database that this script creates and drops.

    .venv/bin/python bench/import_members.py [--rows 100000] [--no-tracemalloc]

BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tot_bench) names the
database; it must not exist yet. The figures are appended to BENCHMARKS.md.

Peak memory is the resident set's high-water mark of each phase (Linux resets it through
/proc/self/clear_refs), and, with tracemalloc, the peak of Python allocations during a
second validation pass. Not part of the test suite.
"""

import argparse
import os
import platform
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tot_bench"
BAD_ROWS = 100
MB = 1024 * 1024


def _configure(database_url: str, media_root: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tot_platform.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40 + "-not-for-production")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()


@contextmanager
def _database(url: str):
    """CREATE the bench database, yield, DROP it (even when the benchmark fails)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_peak_rss() -> None:
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    """VmHWM (since the last reset) where Linux offers it, else ru_maxrss (since start)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Phase:
    name: str
    seconds: float
    peak_rss_mb: float
    rows: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Results:
    rows: int
    file_mb: float
    phases: list[Phase] = field(default_factory=list)
    invalid_rows: int = 0
    imported_rows: int = 0
    traced_peak_mb: float | None = None
    progress_seen: int = 0


def _timed(name: str, rows: int, run: Callable[[], object]) -> tuple[Phase, object]:
    _reset_peak_rss()
    started = time.perf_counter()
    result = run()
    return Phase(name, time.perf_counter() - started, _peak_rss_mb(), rows), result


class _ProgressWatcher(threading.Thread):
    """Reads processed_rows on its own connection while apply runs: the page's view."""

    def __init__(self, pk: int) -> None:
        super().__init__(daemon=True)
        self.pk = pk
        self.seen = 0
        self.stop = threading.Event()

    def run(self) -> None:
        from django.db import connection

        from members.models import MemberImport

        while not self.stop.wait(0.2):
            current = MemberImport.objects.filter(pk=self.pk).values_list(
                "status", "processed_rows"
            )
            for status, processed in current:
                if status == MemberImport.Status.IMPORTING:
                    self.seen = max(self.seen, processed)
        connection.close()


def _fixtures():
    from django.contrib.auth import get_user_model

    from members.models import Member, Organization, OrganizationRole
    from tests.members.import_files import EXISTING_MEMBERS

    organization = Organization.objects.create(name="Konfederasi Bench", short_name="KB")
    user = get_user_model().objects.create(username="bench@example.org")
    OrganizationRole.objects.create(user=user, organization=organization, role="organizer")
    Member.objects.bulk_create(
        Member(organization=organization, full_name="Lama", phone=phone, nik=nik, member_number=n)
        for phone, nik, n in EXISTING_MEMBERS
    )
    return organization, user


def _run(rows: int, csv_path: Path, *, trace: bool) -> Results:
    from django.core.files import File
    from django.core.management import call_command

    from members.services import imports

    call_command("migrate", verbosity=0)
    organization, user = _fixtures()
    results = Results(rows=rows, file_mb=csv_path.stat().st_size / MB)
    with csv_path.open("rb") as stream:
        upload = File(stream, name="anggota.csv")
        phase, member_import = _timed(
            "create (read header, count rows, store)",
            rows,
            lambda: imports.member_import_create(
                file=upload, default_organization=organization, uploaded_by=user
            ),
        )
    results.phases.append(phase)
    phase, member_import = _timed(
        "validate", rows, lambda: imports.member_import_validate(member_import=member_import)
    )
    results.phases.append(phase)
    results.invalid_rows = member_import.invalid_rows
    if trace:
        results.traced_peak_mb = _traced_validation(member_import)
    watcher = _ProgressWatcher(member_import.pk)
    watcher.start()
    phase, member_import = _timed(
        "apply (re-check + insert, one transaction)",
        rows,
        lambda: imports.member_import_apply(member_import=member_import, only_valid_rows=True),
    )
    watcher.stop.set()
    watcher.join()
    results.phases.append(phase)
    results.imported_rows = member_import.imported_rows
    results.progress_seen = watcher.seen
    return results


def _traced_validation(member_import) -> float:
    """A second validation under tracemalloc (slower): peak of Python allocations."""
    from members.services import imports

    imports.member_import_set_mapping(member_import=member_import, mapping=member_import.mapping)
    tracemalloc.start()
    imports.member_import_validate(member_import=member_import)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / MB


def _machine() -> str:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kb = next((int(line.split()[1]) for line in meminfo if "MemTotal" in line), 0)
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} CPUs ({cpu}), {total_kb / MB:.1f} GiB RAM, {platform.system()}"


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def _report(results: Results, command: str) -> str:
    lines = [
        f"## Member import, {results.rows:,} rows — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- Command: `{command}`",
        f"- Machine: {_machine()}",
        f"- Python {platform.python_version()}, {_server_version()} on the same machine",
        (
            f"- File: generated CSV, {results.file_mb:.1f} MB, {results.rows:,} rows of which "
            f"{BAD_ROWS} bad on purpose (every kind of problem)"
        ),
        (
            f"- Result: {results.invalid_rows} bad rows reported, "
            f"{results.imported_rows:,} members imported; progress seen by another "
            f"connection during apply: up to {results.progress_seen:,} rows"
        ),
        "",
        "| phase | seconds | rows/s | peak RSS (MB) |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {phase.name} | {phase.seconds:.1f} | {phase.rows_per_second:,.0f} | "
        f"{phase.peak_rss_mb:.0f} |"
        for phase in results.phases
    ]
    if results.traced_peak_mb is not None:
        lines += [
            "",
            (
                "Peak of Python allocations during validation (tracemalloc, second pass): "
                f"{results.traced_peak_mb:.1f} MB."
            ),
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    arguments = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    with tempfile.TemporaryDirectory(prefix="tot-bench-") as scratch:
        _configure(url, scratch)
        from tests.members.import_files import mixed_bad_kinds, write_csv_file

        csv_path = Path(scratch) / "anggota.csv"
        write_csv_file(csv_path, arguments.rows, bad=mixed_bad_kinds(BAD_ROWS), organization="KB")
        with _database(url):
            results = _run(arguments.rows, csv_path, trace=not arguments.no_tracemalloc)
            report = _report(results, " ".join([".venv/bin/python", *sys.argv]))
    sys.stdout.write(report)
    with arguments.output.open("a", encoding="utf-8") as output:
        output.write("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
