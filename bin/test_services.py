"""Print shell exports that point the test suite at local Postgres and Redis when they answer.

With CI=true a missing service is an error: CI must never quietly fall back to SQLite or
skip the Celery tests.
"""

import os
import socket
import sys

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/tot_platform"
REDIS_URL = "redis://127.0.0.1:6379/15"


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    in_ci = os.environ.get("CI", "").lower() == "true"
    exports = {}
    if "DATABASE_URL" not in os.environ:
        if answers("127.0.0.1", 5432):
            exports["DATABASE_URL"] = POSTGRES_URL
        elif in_ci:
            sys.stderr.write("CI needs Postgres on 127.0.0.1:5432.\n")
            return 1
        else:
            sys.stderr.write("Postgres not found: tests run on SQLite.\n")
            exports["DATABASE_URL"] = "sqlite:///var/test.sqlite3"
    if "CELERY_BROKER_URL" not in os.environ:
        if answers("127.0.0.1", 6379):
            exports["CELERY_BROKER_URL"] = REDIS_URL
        elif in_ci:
            sys.stderr.write("CI needs Redis on 127.0.0.1:6379.\n")
            return 1
    for name, value in exports.items():
        sys.stdout.write(f"export {name}='{value}'\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
