"""Where an import's check and write run: the ``BACKGROUND_JOBS`` setting (core/background.py). With ``worker``
the batch stays queued in the database until ``manage.py exchange_worker`` (one or more, on any machine that
reaches the database) picks it up. A batch is claimed by a conditional update of its status, so two workers never
run the same batch."""

from __future__ import annotations

from collections.abc import Callable

from dongthuan.core import background


def submit(batch_id: int, run: Callable[[int], object]) -> None:
    """Have the batch's queued step run by ``run`` (the services' step runner), as the setting says."""
    if background.mode() == "inline":
        run(batch_id)  # in the request, before it answers
    else:
        background.after_commit(lambda: run(batch_id), f"import-{batch_id}")
