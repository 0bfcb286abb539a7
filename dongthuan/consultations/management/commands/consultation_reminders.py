"""Run once a day (cron or a systemd timer): invitations of rounds that opened since, and reminders to those who
have not given an opinion when a round closes within CONSULTATION_REMINDER_DAYS days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dongthuan.consultations.services import reminders_due


class Command(BaseCommand):
    help = "Send consultation invitations and reminders that are due today."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_due()
        self.stdout.write(f"{sent} email(s) sent")
