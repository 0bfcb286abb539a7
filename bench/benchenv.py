"""What the benchmark scripts share: which database and settings they use, and the marker of generated data.

The benchmark never touches the development database: by default it uses its own SQLite file next to this
module; with DATABASE_URL set (for example to PostgreSQL) the database's name must contain "bench".
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DEFAULT_SQLITE = BENCH_DIR / "bench.sqlite3"
META_TABLE = "bench_meta"


def setup() -> None:
    """Point Django at the benchmark database with production settings (DEBUG off) and start it."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    os.environ["DJANGO_DEBUG"] = "0"
    # Production settings need a key; one made for this run (gunicorn's workers inherit it).
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dongthuan.settings"
    hosts = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    if "testserver" not in hosts:  # django.test.Client's host
        os.environ["DJANGO_ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])

    import django

    django.setup()
    check_is_bench_database()


def check_is_bench_database() -> None:
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name.lower():
        sys.exit(f"Refusing to use database {name!r}: its name must contain 'bench' (see bench/benchenv.py).")


def vendor() -> str:
    from django.db import connection

    return connection.vendor  # "sqlite" or "postgresql"


def read_meta() -> dict[str, Any] | None:
    """What generate.py recorded about the data in this database, or None if it holds no finished data set."""
    from django.db import connection

    with connection.cursor() as cur:
        if META_TABLE not in connection.introspection.table_names(cur):
            return None
        cur.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", ["dataset"])  # noqa: S608
        row = cur.fetchone()
    return json.loads(row[0]) if row else None


def write_meta(meta: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)")
        cur.execute(f"DELETE FROM {META_TABLE} WHERE key = %s", ["dataset"])  # noqa: S608
        cur.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", ["dataset", json.dumps(meta)])  # noqa: S608


def sign_in(client: Any, username: str) -> None:
    """Sign ``client`` (django.test.Client) in as ``username`` with a completed sign-in, second factor included, as
    an officer's browser is after the login page and the authenticator app's code (accounts/middleware.py)."""
    from django.contrib.auth import get_user_model

    from dongthuan.accounts.middleware import DONE, SECOND_FACTOR_KEY

    client.force_login(get_user_model().objects.get(username=username))
    session = client.session
    session[SECOND_FACTOR_KEY] = DONE
    session.save()
