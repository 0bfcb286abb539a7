"""Run queued imports (checks and writes) when BACKGROUND_JOBS is "worker"; any number may run at once."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from dongthuan.exchange.models import QUEUED, ImportBatch
from dongthuan.exchange.services import run


class Command(BaseCommand):
    help = "Run queued imports of lists; with --once, run those queued now and stop."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Stop when the queue is empty.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at the queue.")

    def handle(self, *args: Any, once: bool = False, interval: float = 1.0, **options: Any) -> None:
        while True:
            if not connection.in_atomic_block:  # (never inside a caller's transaction, e.g. a test)
                close_old_connections()
            queued = list(
                ImportBatch.objects.filter(status__in=QUEUED).order_by("id").values_list("id", flat=True)[:10]
            )
            for batch_id in queued:
                run(batch_id)  # claims the batch first: another worker that took it makes this a no-op
                self.stdout.write(f"import {batch_id}: {ImportBatch.objects.get(pk=batch_id).get_status_display()}")
            if once and not queued:
                return
            if not queued:
                time.sleep(interval)
