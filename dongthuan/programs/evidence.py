"""Evidence attached to periodic reports: which files are taken, recognised by their content rather than their
name (a renamed program is refused), and how large."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from dongthuan.core.errors import DomainError
from dongthuan.core.text import nfc

MAX_FILES = 5


def kind_of(content: bytes) -> str | None:
    """pdf, docx, xlsx, jpg or png, from the file's first bytes (and, for Office files, the parts inside)."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except (zipfile.BadZipFile, NotImplementedError, UnicodeDecodeError, ValueError, OSError, EOFError):
            return None  # a damaged or unusual archive is not an Office file we take
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def checked(files: list[tuple[str, bytes]]) -> list[tuple[str, str, bytes]]:
    """The files as (name, kind, content), or DomainError naming the first one refused."""
    if len(files) > MAX_FILES:
        raise DomainError({"evidence": [_("Mỗi báo cáo kèm tối đa %(n)s tệp.") % {"n": MAX_FILES}]})
    limit = settings.PROGRAM_EVIDENCE_MAX_BYTES
    out = []
    for name, content in files:
        name = nfc(name).strip().replace("/", "_").replace("\\", "_")[:200] or "tep"
        if len(content) > limit:
            raise DomainError(
                {"evidence": [_("Tệp «%(name)s» lớn hơn %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024)}]}
            )
        kind = kind_of(content)
        if kind is None:
            raise DomainError(
                {
                    "evidence": [
                        _(
                            "Tệp «%(name)s» không nhận được: chỉ nhận PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG."
                        )
                        % {"name": name}
                    ]
                }
            )
        stem = name.rsplit(".", 1)[0] if "." in name else name
        out.append((f"{stem}.{kind}", kind, content))
    return out
