"""Where an import's check and write run: the ``EXCHANGE_JOBS`` setting.

- ``thread`` (default): a background thread of the web process, started once the upload is committed; nothing
  to install or run besides the site itself.
- ``worker``: the batch stays queued in the database until ``manage.py exchange_worker`` (one or more, on any
  machine that reaches the database) picks it up; for production, so that a restart of the web process never
  interrupts an import.
- ``inline``: in the request itself (tests, management commands).

A batch is claimed by a conditional update of its status, so two workers never run the same batch.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction

log = logging.getLogger(__name__)


def mode() -> str:
    return str(getattr(settings, "EXCHANGE_JOBS", "thread"))


def submit(batch_id: int) -> None:
    """Have the batch's queued step run, as the setting says."""
    from dongthuan.exchange.services import run

    chosen = mode()
    if chosen == "inline":
        run(batch_id)
    elif chosen == "thread":
        transaction.on_commit(lambda: _start_thread(batch_id))


def _start_thread(batch_id: int) -> None:
    threading.Thread(target=_in_thread, args=(batch_id,), name=f"import-{batch_id}", daemon=True).start()


def _in_thread(batch_id: int) -> None:
    from dongthuan.exchange.services import run

    try:
        run(batch_id)
    except Exception:  # the services record their own failures; this only keeps a thread from dying silently
        log.exception("import job %s", batch_id)
    finally:
        close_old_connections()
        connection.close()
