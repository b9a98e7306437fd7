"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked on paper."""

import re
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_web_worker_beat_db_and_redis(compose):
    assert {"web", "worker", "beat", "db", "redis"} <= set(compose["services"])


@pytest.mark.parametrize("service", ["web", "worker", "beat", "db", "redis"])
def test_long_running_services_have_health_checks(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


def test_web_health_check_asks_healthz(compose):
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_app_services_wait_for_healthy_db_and_redis_and_migrations(compose):
    for name in ("web", "worker", "beat"):
        depends_on = compose["services"][name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy"
        assert depends_on["redis"]["condition"] == "service_healthy"
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_app_services_use_postgres_and_redis(compose):
    environment = compose["services"]["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")


def test_every_documented_variable_is_read_by_settings():
    settings_source = (BASE_DIR / "tot_platform/settings.py").read_text()
    documented = re.findall(r"^#?\s*([A-Z][A-Z_]+)=", (BASE_DIR / ".env.example").read_text(), re.M)
    compose_only = {"POSTGRES_PASSWORD"}

    unread = [
        name
        for name in documented
        if name not in compose_only and f'"{name}"' not in settings_source
    ]

    assert documented
    assert unread == []
