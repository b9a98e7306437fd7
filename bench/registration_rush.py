"""Benchmark a registration rush: N logged-in members register for one open cohort at the
same moment, against gunicorn and Postgres, beside a bare Django view in the same run.

    .venv/bin/python bench/registration_rush.py [--members 200] [--capacity 100] [--workers 3]

What it measures. The real registration POST of the one-step flow for a member who is
logged in (``cohorts:register``: rate limit, forms, the seat service's locked transaction,
the message rendered after commit, the redirect), each from its own thread and its own
session, all released together by a barrier. Beside it, in the same run and the same way,
``/bench/bare/``: a view that returns "ok" through the site's whole middleware stack
(``bench/rush_urls.py``, mounted only by ``bench/rush_settings.py``) — the floor that
gunicorn, WSGI and Django cost before any work. ``/healthz`` would not do: it asks the
database and the broker. Latency is from opening the connection to the last byte.

Set-up, not measured: a throwaway Postgres database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/tot_bench_rush``; it must not exist and is dropped at
the end), migrations, one open cohort, N members with accounts and consent, and a session
per member written the way ``login()`` writes it, with its CSRF cookie. gunicorn runs as
the Dockerfile runs it (sync workers, DEBUG off) on a free port, with Redis as the cache
when one answers on 127.0.0.1:6379 (as in production), e-mail to a dummy backend (the
message is rendered, not delivered), and the per-IP rate limit off since every request
comes from 127.0.0.1 (the per-account one stays). A few requests warm the workers up.

It reports throughput and latency percentiles side by side, the HTTP statuses, and the
final counts (confirmed never above capacity, the rest waitlisted, no 5xx), and appends
them to BENCHMARKS.md. Not part of the test suite: timings are never asserted. Exits 1
if a seat was overbooked or a server error answered.
"""

import argparse
import http.client
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tot_bench_rush"
REDIS = ("127.0.0.1", 6379)
ANSWERS = {
    "motivation": "Ingin melatih anggota di tempat kerja tentang dialog sosial.",
    "union_position": "workplace_officer",
    "workplace": "PT Bench Sejahtera",
}


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _server_environment(database_url: str) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.rush_settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40 + "-not-for-production",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "EMAIL_URL": "dummymail://",
            "REGISTRATION_RATE_LIMITS": "5/m/user",
            "CACHE_URL": "redis://127.0.0.1:6379/13" if _answers(*REDIS) else "locmemcache://",
        }
    )
    environment.pop("CELERY_BROKER_URL", None)
    return environment


def _configure(environment: dict[str, str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(environment)
    import django

    django.setup()


@contextmanager
def _database(url: str) -> Iterator[None]:
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


# Set-up ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visitor:
    """A logged-in browser: its cookies, and the CSRF secret its forms send back."""

    session_key: str
    csrf_secret: str

    def cookie(self) -> str:
        from django.conf import settings

        return (
            f"{settings.SESSION_COOKIE_NAME}={self.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf_secret}"
        )


def _cohort(capacity: int):
    from cohorts.models import Cohort
    from curriculum.models import Curriculum
    from members.models import Organization, Region

    organization = Organization.objects.create(
        name="Konfederasi Bench", short_name="BENCH", kind=Organization.Kind.CONFEDERATION
    )
    curriculum = Curriculum.objects.create(
        title="Dialog Sosial", slug="dialog-sosial", owner=organization, status="published"
    )
    first_day = datetime.now(UTC).date() + timedelta(days=30)
    cohort = Cohort.objects.create(
        title="TOT Bench Rush",
        slug="tot-bench-rush",
        curriculum=curriculum,
        region=Region.objects.filter(level=Region.Level.REGENCY).order_by("code").first(),
        starts_on=first_day,
        ends_on=first_day + timedelta(days=2),
        capacity=capacity,
        status=Cohort.Status.OPEN,
    )
    cohort.organizers.set([organization])
    return cohort, organization


def _visitors(count: int, organization) -> list[Visitor]:
    """``count`` members with an account, a verified address and consent, each logged in."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from members.models import Member

    unusable = make_password(None)
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=f"rush{n}@example.org", email=f"rush{n}@example.org", password=unusable
        )
        for n in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    now = datetime.now(UTC)
    Member.objects.bulk_create(
        Member(
            full_name=f"Peserta {n}",
            email=user.email,
            organization=organization,
            user=user,
            consent_given_at=now,
            consent_text_version="1",
        )
        for n, user in enumerate(users)
    )
    visitors = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        visitors.append(Visitor(session.session_key, secrets.token_hex(16)))
    return visitors


# The server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(environment: dict[str, str], workers: int, log: Path) -> Iterator[int]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "tot_platform.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--chdir",
        str(ROOT),
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(port, server, log)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        if _get(port, "/bench/bare/", {}) == 200:
            return
        time.sleep(0.2)
    sys.stderr.write(log.read_text(errors="replace")[-3000:])
    raise SystemExit("gunicorn did not answer")


def _get(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


# The rush --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Outcome:
    status: int
    started: float
    finished: float

    @property
    def seconds(self) -> float:
        return self.finished - self.started


@dataclass
class Summary:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def wall_seconds(self) -> float:
        first = min(outcome.started for outcome in self.outcomes)
        return max(outcome.finished for outcome in self.outcomes) - first

    def row(self) -> str:
        latencies = [outcome.seconds * 1000 for outcome in self.outcomes]
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        statuses = Counter(outcome.status for outcome in self.outcomes)
        shown = ", ".join(f"{count}× {status}" for status, count in sorted(statuses.items()))
        return (
            f"| {self.name} | {len(latencies)} | {self.wall_seconds:.2f} | "
            f"{len(latencies) / self.wall_seconds:,.0f} | {cuts[49]:,.0f} | {cuts[89]:,.0f} | "
            f"{cuts[98]:,.0f} | {max(latencies):,.0f} | {shown} |"
        )


def _send(port: int, call: Call, ready: threading.Barrier) -> Outcome:
    ready.wait()
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(call.method, call.path, body=call.body, headers=call.headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return Outcome(status, started, time.perf_counter())


def _rush(name: str, port: int, calls: list[Call]) -> Summary:
    """Every call from its own thread, all released at once by a barrier."""
    ready = threading.Barrier(len(calls))
    summary = Summary(name, [Outcome(0, 0.0, 0.0)] * len(calls))

    def run(index: int, call: Call) -> None:
        summary.outcomes[index] = _send(port, call, ready)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary


def _bare_call(visitor: Visitor) -> Call:
    return Call("GET", "/bench/bare/", {"Cookie": visitor.cookie()})


def _register_call(path: str, visitor: Visitor) -> Call:
    body = urlencode({"csrfmiddlewaretoken": visitor.csrf_secret, **ANSWERS}).encode()
    headers = {
        "Cookie": visitor.cookie(),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return Call("POST", path, headers, body)


def _warm_up(port: int, register_path: str, visitor: Visitor, workers: int) -> None:
    """Each worker loads the URLconf, templates and a database connection first."""
    for _round in range(5 * workers):
        _get(port, "/bench/bare/", {"Cookie": visitor.cookie()})
        _get(port, register_path, {"Cookie": visitor.cookie()})


# Report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    capacity: int
    by_status: dict[str, int]

    @property
    def overbooked(self) -> bool:
        return self.by_status.get("confirmed", 0) > self.capacity


def _counts(cohort) -> Counts:
    from django.db.models import Count

    rows = cohort.enrollments.values("status").annotate(n=Count("id")).values_list("status", "n")
    return Counts(cohort.capacity, dict(rows))


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
    return f"{os.cpu_count()} CPUs ({cpu}), {total_kb / 1024 / 1024:.1f} GiB RAM"


def _revision() -> str:
    """The commit measured, marked "-dirty" when the working tree had changes."""
    described = subprocess.run(
        ["git", "describe", "--always", "--dirty"],  # noqa: S607 - git from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return described.stdout.strip() or "unknown"


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def _report(arguments, summaries: list[Summary], counts: Counts, cache: str, load: float) -> str:
    members = arguments.members
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(counts.by_status.items()))
    lines = [
        (
            f"## Registration rush, {members} members for {arguments.capacity} seats — "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        ),
        "",
        f"- Command: `.venv/bin/python {' '.join(sys.argv)}` at {_revision()}",
        (
            f"- Machine: {_machine()}; client and server on the same machine, load average "
            f"{load:.1f} just before the rush"
        ),
        (
            f"- Python {platform.python_version()}, {_server_version()}, gunicorn "
            f"{arguments.workers} sync workers, cache {cache}, e-mail rendered to a dummy backend"
        ),
        (
            f"- {members} requests of each kind, all in flight at once (one thread and "
            "connection each, released by a barrier); latency from connect to last byte"
        ),
        (
            f"- Final counts: {statuses} (capacity {counts.capacity}; "
            f"{'OVERBOOKED' if counts.overbooked else 'never overbooked'})"
        ),
        "",
        "| request | n | wall (s) | req/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | statuses |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        *(summary.row() for summary in summaries),
    ]
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=200, help="concurrent sign-ups (200)")
    parser.add_argument("--capacity", type=int, default=100, help="seats in the cohort (100)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (3)")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    return parser


def _measure(arguments, environment: dict[str, str], log: Path) -> tuple[str, bool]:
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cohort, organization = _cohort(arguments.capacity)
    visitors = _visitors(arguments.members + 1, organization)
    warm, visitors = visitors[-1], visitors[:-1]
    register_path = reverse("cohorts:register", kwargs={"slug": cohort.slug})
    with _gunicorn(environment, arguments.workers, log) as port:
        _warm_up(port, register_path, warm, arguments.workers)
        load = os.getloadavg()[0]
        bare = _rush("bare Django view (GET)", port, [_bare_call(v) for v in visitors])
        register = _rush(
            "registration (POST)", port, [_register_call(register_path, v) for v in visitors]
        )
    counts = _counts(cohort)
    failed = counts.overbooked or any(
        outcome.status == 0 or outcome.status >= 500
        for summary in (bare, register)
        for outcome in summary.outcomes
    )
    cache = environment["CACHE_URL"].split(":", 1)[0]
    return _report(arguments, [bare, register], counts, cache, load), failed


def main() -> int:
    arguments = _parser().parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    environment = _server_environment(url)
    _configure(environment)
    with tempfile.TemporaryDirectory(prefix="tot-rush-") as scratch, _database(url):
        report, failed = _measure(arguments, environment, Path(scratch) / "gunicorn.log")
    sys.stdout.write(report)
    with arguments.output.open("a", encoding="utf-8") as output:
        output.write("\n" + report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
