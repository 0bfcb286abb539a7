"""Work a request should not wait for — an import's check and write, the invitations of a round that opens — and
where it runs: the ``BACKGROUND_JOBS`` setting.

- ``thread`` (default): a background thread of the web process, started once the request's transaction commits;
  nothing to install or run besides the site itself.
- ``worker``: nothing is started; the work stays recorded in the database for a command run beside the site
  (``manage.py exchange_worker`` for imports, ``manage.py consultation_reminders`` for emails), so that a restart
  of the web process never interrupts it.
- ``inline``: in the request itself (tests, management commands).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction

log = logging.getLogger(__name__)


def mode() -> str:
    return str(getattr(settings, "BACKGROUND_JOBS", "thread"))


def after_commit(work: Callable[[], object], name: str) -> None:
    """Have ``work`` run once the current transaction commits: in a thread, or at once with ``inline``. With
    ``worker`` it is left to the worker command, which finds it recorded in the database."""
    chosen = mode()
    if chosen == "inline":
        transaction.on_commit(work)
    elif chosen == "thread":
        transaction.on_commit(
            lambda: threading.Thread(target=_in_thread, args=(work, name), name=name, daemon=True).start()
        )


def _in_thread(work: Callable[[], object], name: str) -> None:
    try:
        work()
    except Exception:  # the work records its own failures; this only keeps a thread from dying silently
        log.exception("background job %s", name)
    finally:
        close_old_connections()
        connection.close()
