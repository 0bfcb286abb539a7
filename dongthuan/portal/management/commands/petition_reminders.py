"""Run once a day (cron or a systemd timer): open petitions past their deadline are flagged, and the head of each
handling organisation is emailed the list once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dongthuan.portal.services import petitions_flag_overdue


class Command(BaseCommand):
    help = "Flag overdue petitions and tell the heads of the organisations handling them."

    def handle(self, *args: Any, **options: Any) -> None:
        flagged = petitions_flag_overdue()
        self.stdout.write(f"{len(flagged)} petition(s) flagged overdue")
