"""Build the Bình Xuyên political system of the 2017 article, with fictional people and a login per role.

Idempotent: a second run finds the demo in place and only makes sure the demo logins work.
Everything is written through the services, so the demo has a full audit trail. The story and its order are in
``site/demo.py``; each app's part is in its own ``demo.py``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings

from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.site import demo


class Command(BaseCommand):
    help = "Build the Bình Xuyên demo political system (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's invitations and citizens' confirmation links are not printed (and sent before the command ends).
        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", BACKGROUND_JOBS="inline"
        )
        with quiet, transaction.atomic():
            if demo.demo_present():
                self.stdout.write("Demo data already present; checking the demo logins.")
                demo.ensure_logins()
            else:
                demo.ensure_logins(demo.build())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {Organization.objects.count()} organisations, {Person.objects.count()} people."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, label, _role in demo.LOGINS:
            self.stdout.write(f"  {username:<18} {label}")
