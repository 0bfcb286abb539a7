"""Run once a day (cron or a systemd timer): open tasks past their due date are flagged late, with their
answerable person and that person's superior told by email; answerable people are reminded of tasks due within
TASK_REMINDER_DAYS days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dongthuan.programs.services import program_reminders


class Command(BaseCommand):
    help = "Flag overdue tasks and send the reminders and escalations due today."

    def handle(self, *args: Any, **options: Any) -> None:
        flagged, sent = program_reminders()
        self.stdout.write(f"{flagged} task(s) flagged late, {sent} email(s) sent")
