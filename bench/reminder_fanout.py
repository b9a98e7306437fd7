"""Benchmark the outbox fan-out: claim and hand over N due notifications, then deliver them
with one Celery worker, on Postgres and Redis.

    .venv/bin/python bench/reminder_fanout.py [--notifications 100000] [--concurrency 2]

What it measures.
1. Claim and hand-over: the dispatcher's own work (``cohorts.tasks.dispatch_notifications``
   run in this process, batch after batch until nothing is due): ``SELECT … FOR UPDATE SKIP
   LOCKED`` of a batch, marking it sending, and publishing one send task per row to Redis.
2. Delivery: one worker (``celery worker`` in its own process, prefork with
   ``--concurrency``, prefetch 1, acks late) takes the send tasks, renders each message in
   the member's language and hands it to Django's dummy e-mail backend (no network), and
   records it as sent. Measured from the first hand-over until every row is sent.

Set-up, not measured: a throwaway Postgres database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/tot_bench_fanout``; dropped first and at the end),
migrations, one open cohort with 1,000 confirmed members, and N registration messages due
now spread over them. Tasks go to a queue of their own on Redis (127.0.0.1:6379, db 3), so
another worker on the machine cannot take them. Appends the result to BENCHMARKS.md.
Not part of the test suite: timings are never asserted.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tot_bench_fanout"
BROKER = "redis://127.0.0.1:6379/3"
MEMBERS = 1000


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": BROKER,
            "CELERY_RESULT_BACKEND": BROKER,
            "EMAIL_URL": "dummymail://",
            "SECRET_KEY": env.get("SECRET_KEY", "bench-only-" + "x" * 60),
            "ALLOWED_HOSTS": "localhost",
            "DJANGO_SETTINGS_MODULE": "tot_platform.settings",
        }
    )
    return env


def _psql(database_url: str, sql: str) -> None:
    parsed = urlparse(database_url)
    admin = parsed._replace(path="/postgres").geturl()
    command = ["/usr/bin/psql", admin, "-q", "-c", sql]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - our own SQL


def _recreate_database(database_url: str) -> None:
    name = urlparse(database_url).path.lstrip("/")
    _psql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(database_url, f'CREATE DATABASE "{name}"')


def _drop_database(database_url: str) -> None:
    name = urlparse(database_url).path.lstrip("/")
    _psql(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _make_data(count: int) -> None:
    from django.utils import timezone

    from cohorts.models import Cohort, Enrollment, Notification
    from curriculum.models import Curriculum
    from members.models import Member, Organization, Region

    organization = Organization.objects.create(
        name="Konfederasi Bench", short_name="BENCH", kind=Organization.Kind.CONFEDERATION
    )
    curriculum = Curriculum.objects.create(
        title="Dialog Sosial", slug="dialog-sosial", owner=organization, status="published"
    )
    cohort = Cohort.objects.create(
        title="TOT Bench",
        slug="tot-bench",
        curriculum=curriculum,
        region=Region.objects.filter(level=Region.Level.REGENCY).order_by("code").first(),
        time_zone="Asia/Jakarta",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        capacity=MEMBERS,
        status=Cohort.Status.OPEN,
    )
    members = Member.objects.bulk_create(
        Member(
            full_name=f"Anggota {number}",
            phone=f"+62812{number:08d}",
            email=f"anggota{number}@example.org",
            organization=organization,
            preferred_channel="email",
        )
        for number in range(MEMBERS)
    )
    seats = Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=member, status="confirmed") for member in members
    )
    now = timezone.now()
    batch = []
    for number in range(count):
        seat = seats[number % MEMBERS]
        batch.append(
            Notification(
                member_id=seat.member_id,
                kind=Notification.Kind.REGISTRATION,
                template="confirmed",
                cohort=cohort,
                enrollment=seat,
                due_at=now,
                dedupe_key=f"bench:{number}",
            )
        )
        if len(batch) == 5000:
            Notification.objects.bulk_create(batch)
            batch = []
    Notification.objects.bulk_create(batch)


def _start_worker(env: dict[str, str], queue: str, concurrency: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tot_platform",
            "worker",
            "-Q",
            queue,
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--deliver-for",
        type=float,
        default=0,
        help="stop measuring delivery after this many seconds (0: until all are sent)",
    )
    parser.add_argument("--no-record", action="store_true", help="do not touch BENCHMARKS.md")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    queue = f"bench-fanout-{uuid.uuid4().hex[:8]}"
    env = _environment(database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    _recreate_database(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    import django

    django.setup()
    from cohorts.models import Notification
    from cohorts.tasks import dispatch_notifications
    from tot_platform.celery import app

    app.conf.task_default_queue = queue  # the send tasks go where only our worker listens

    _say(f"making {args.notifications:,} due notifications …")
    _make_data(args.notifications)
    worker = _start_worker(env, queue, args.concurrency)
    try:
        time.sleep(3)  # the worker connects; its start is not what is measured
        started = time.perf_counter()
        handed_over = 0
        while True:
            claimed = dispatch_notifications.apply().get()
            if not claimed:
                break
            handed_over += claimed
        hand_over_seconds = time.perf_counter() - started
        _say(f"claimed and handed over {handed_over:,} in {hand_over_seconds:.1f} s")
        while Notification.objects.exclude(status="sent").exists():
            if args.deliver_for and time.perf_counter() - started > args.deliver_for:
                break
            time.sleep(0.5)
        delivered_seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(30)
    sent = Notification.objects.filter(status="sent").count()
    attempts = set(
        Notification.objects.filter(status="sent").values_list("attempts", flat=True).distinct()
    )
    _say(f"all {sent:,} sent in {delivered_seconds:.1f} s; attempts per row: {sorted(attempts)}")
    from django.db import connections

    connections.close_all()
    _drop_database(database_url)
    if not args.no_record:
        _record(args, handed_over, hand_over_seconds, sent, delivered_seconds, attempts)
    complete = sent == args.notifications or bool(args.deliver_for)
    return 0 if complete and attempts <= {1} else 1


def _record(args, handed_over, hand_over_seconds, sent, delivered_seconds, attempts) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""
## Outbox fan-out, {args.notifications:,} due notifications — {stamp}

`.venv/bin/python bench/reminder_fanout.py --notifications {args.notifications} --concurrency {args.concurrency} --deliver-for {args.deliver_for:g}`
on {platform.node() or "this machine"} ({os.cpu_count()} cores), Postgres and Redis on
127.0.0.1, Django's dummy e-mail backend.

| step | figure |
| --- | --- |
| claim (FOR UPDATE SKIP LOCKED, batches of 500) and hand over to Redis | {handed_over:,} in {hand_over_seconds:.1f} s ({handed_over / hand_over_seconds:,.0f}/s) |
| delivered by one worker (prefork, {args.concurrency} processes), from the first hand-over | {sent:,} in {delivered_seconds:.1f} s ({sent / delivered_seconds:,.0f}/s) |
| attempts per row | {", ".join(str(a) for a in sorted(attempts))} |
"""  # noqa: E501 - a table row is one line
    with (ROOT / "BENCHMARKS.md").open("a", encoding="utf-8") as benchmarks:
        benchmarks.write(text)


if __name__ == "__main__":
    sys.exit(main())
