"""Write docs/rules.md, the catalogue of rules, from the registry (``dongthuan.rules.RULES``) and the tests named after
each rule; ``--check`` only says whether the file is up to date (exit status 1 when it is not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dongthuan.rules.catalogue import CATALOGUE, catalogue


class Command(BaseCommand):
    help = "Write docs/rules.md from the registry of rules and the tests named after each rule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if docs/rules.md is out of date; write nothing.")
        parser.add_argument("--output", type=Path, help="Write here instead of docs/rules.md.")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.BASE_DIR)
        path: Path = options["output"] or root / CATALOGUE
        text = catalogue(root)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if options["check"]:
            if current != text:
                raise CommandError(f"{path} is out of date: run manage.py rules_doc.")
            self.stdout.write(f"{path} is up to date.")
        elif current == text:
            self.stdout.write(f"{path} is up to date.")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {path}.")
