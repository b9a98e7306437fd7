"""Settings are read once per process, so each case runs Django in a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_SECRET_KEY = "k3y-" + "Zq8#Lw2!pV6@" * 5
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default'], 'broker': s.CELERY_BROKER_URL, "
    "'debug': s.DEBUG, 'language': s.LANGUAGE_CODE, 'time_zone': s.TIME_ZONE}, default=str))"
)


def run_django(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "DJANGO_SETTINGS_MODULE": "tot_platform.settings",
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=base | environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_environment(**overrides: str) -> dict[str, str]:
    return {
        "SECRET_KEY": PRODUCTION_SECRET_KEY,
        "DATABASE_URL": "postgres://tot:secret@db.internal:5433/tot_platform",
        "ALLOWED_HOSTS": "tot.example.org",
        "REDIS_URL": "redis://redis.internal:6379/0",
        **overrides,
    }


def test_embedded_default_needs_only_debug():
    result = run_django({"DEBUG": "true"}, "-c", PRINT_SETTINGS)

    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["db"]["NAME"].endswith("var/db.sqlite3")
    assert settings["broker"].startswith("filesystem://")
    assert settings["language"] == "id"
    assert settings["time_zone"] == "Asia/Jakarta"


def test_embedded_default_answers_django_check():
    result = run_django({"DEBUG": "true"}, "manage.py", "check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    result = run_django(production_environment(), "-c", PRINT_SETTINGS)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_postgres_url_is_parsed():
    result = run_django(production_environment(), "-c", PRINT_SETTINGS)

    database = json.loads(result.stdout)["db"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        5433,
        "tot_platform",
    )
    assert (database["USER"], database["PASSWORD"]) == ("tot", "secret")


def test_redis_url_becomes_the_broker():
    result = run_django(production_environment(), "-c", PRINT_SETTINGS)

    assert json.loads(result.stdout)["broker"] == "redis://redis.internal:6379/0"


def test_check_deploy_is_clean_with_production_variables():
    result = run_django(
        production_environment(), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        pytest.param({"SECRET_KEY": ""}, "SECRET_KEY", id="secret-key-missing"),
        pytest.param({"SECRET_KEY": "short"}, "SECRET_KEY", id="secret-key-weak"),
        pytest.param({"DATABASE_URL": ""}, "DATABASE_URL", id="database-url-missing"),
        pytest.param(
            {"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL", id="database-url-unsupported"
        ),
        pytest.param({"DATABASE_URL": "not a url"}, "DATABASE_URL", id="database-url-malformed"),
    ],
)
def test_production_refuses_to_start_with_one_line(overrides, variable):
    environment = {k: v for k, v in production_environment(**overrides).items() if v}

    result = run_django(environment, "manage.py", "check")

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_no_environment_at_all_refuses_to_start_naming_secret_key():
    result = run_django({}, "manage.py", "check")

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set; it is required when DEBUG is off."
    ]


WORKER_ROUND_TRIP = """
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
import django
django.setup()
call_command("migrate", verbosity=0)
from members.tasks import clear_expired_sessions
from tot_platform.celery import app
with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
    print("deleted", clear_expired_sessions.delay().get(timeout=30))
"""


def test_embedded_default_runs_celery_without_any_server(tmp_path):
    """SQLite and the filesystem broker: a task goes through a real worker and back."""
    result = run_django({"DEBUG": "true", "VAR_DIR": str(tmp_path)}, "-c", WORKER_ROUND_TRIP)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "deleted 0"
    assert (tmp_path / "db.sqlite3").exists()
    assert (tmp_path / "celery" / "queue").is_dir()
