"""Run once a day (cron or a systemd timer): walk the audit history's hash chain and report the first broken
link. Exits with status 1 when the chain is broken, so that cron mails the output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dongthuan.audit import chain
from dongthuan.audit.models import AuditEvent


def _read_anchor(path: Path) -> tuple[int, str] | None:
    if not path.exists():
        return None
    text = path.read_text().split()
    if len(text) != 2 or not text[0].isdigit():
        raise CommandError(f"{path} does not hold '<row id> <row hash>'")
    return int(text[0]), text[1]


class Command(BaseCommand):
    help = "Check that no audit row was deleted, changed or inserted behind the application's back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            type=Path,
            help="a file, kept outside the database, holding the last row seen by the previous check: that row must "
            "still be there unchanged (so rows cut from the end show); the file is updated when the check passes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor_path: Path | None = options["anchor"]
        anchor = _read_anchor(anchor_path) if anchor_path else None
        rows = AuditEvent.objects.order_by("id").values_list(*chain.ROW_FIELDS).iterator(chunk_size=5000)
        report = chain.verify(rows, anchor=anchor)
        problem = report.problem
        if problem is not None:
            self.stderr.write(
                f"Audit chain broken after {report.count} intact row(s): row {problem.row_id} {problem.kind}"
                f" — {problem.detail}"
            )
            raise SystemExit(1)
        if anchor_path is not None and report.head_id is not None:
            anchor_path.write_text(f"{report.head_id} {report.head_hash}\n")
        self.stdout.write(f"Audit chain intact: {report.count} row(s), last row {report.head_id} {report.head_hash}")
