"""Evidence attached to periodic reports: which files are taken (recognised by their content, images re-encoded:
``core.files``) and how many and how large."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from dongthuan.core import files

MAX_FILES = 5
KINDS = frozenset({"pdf", "docx", "xlsx", "jpg", "png"})
kind_of = files.kind_of


def checked(found: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """The files as (name, kind, content), or DomainError naming the first one refused."""
    return files.checked(
        found,
        field="evidence",
        max_files=MAX_FILES,
        max_bytes=settings.PROGRAM_EVIDENCE_MAX_BYTES,
        kinds=KINDS,
        too_many=_("Mỗi báo cáo kèm tối đa %(n)s tệp.") % {"n": MAX_FILES},
    )
