"""Files sent by people (evidence of a report, a citizen's photos): recognised by their content rather than their
name (a renamed program is refused), limited in number and size, and images decoded and written anew, so that what
is kept and served is a plain picture without hidden payloads or metadata (place, camera, author)."""

from __future__ import annotations

import io
import warnings
import zipfile

from django.utils.translation import gettext as _

from dongthuan.core.errors import ErrorCode, InputError
from dongthuan.core.text import nfc

# The longest side of a re-encoded picture: enough to read a document photographed with a phone.
IMAGE_MAX_SIDE = 2400
IMAGE_MAX_PIXELS = 60_000_000


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


def reencoded(kind: str, content: bytes) -> bytes | None:
    """A JPEG or PNG decoded and written anew (turned upright, at most ``IMAGE_MAX_SIDE`` pixels a side, without its
    metadata); None when it cannot be decoded. Other kinds are returned as they are."""
    if kind not in ("jpg", "png"):
        return content
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > IMAGE_MAX_PIXELS:
                    return None
                image.load()
                picture = ImageOps.exif_transpose(image)
                picture.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
                out = io.BytesIO()
                mode = "RGBA" if kind == "png" and picture.mode in ("RGBA", "LA", "P") else "RGB"
                clean = picture.convert(mode)
                clean.info = {}  # no comment, profile, EXIF or text chunk is carried over
                if kind == "jpg":
                    clean.save(out, "JPEG", quality=85, optimize=True)
                else:
                    clean.save(out, "PNG", optimize=True)
                return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return None


def checked(
    files: list[tuple[str, bytes]],
    *,
    field: str,
    max_files: int,
    max_bytes: int,
    kinds: frozenset[str],
    too_many: str = "",
) -> list[tuple[str, str, bytes]]:
    """The files as (name, kind, content) with images re-encoded, or DomainError on ``field`` naming the first one
    refused: too many, too large, not of an accepted kind (whatever its name says), or a picture that does not
    decode."""
    if len(files) > max_files:
        raise InputError(
            {field: [too_many or _("Gửi kèm tối đa %(n)s tệp.") % {"n": max_files}]},
            code=ErrorCode.FILES_TOO_MANY,
            data={"limit": max_files},
        )
    out = []
    for name, content in files:
        name = nfc(name).strip().replace("/", "_").replace("\\", "_")[:200] or "tep"
        if len(content) > max_bytes:
            raise InputError(
                {field: [_("Tệp «%(name)s» lớn hơn %(mb)s MB.") % {"name": name, "mb": max_bytes // (1024 * 1024)}]},
                code=ErrorCode.FILE_TOO_LARGE,
                data={"limit": max_bytes},
            )
        kind = kind_of(content)
        if kind is None or kind not in kinds:
            raise InputError(
                {
                    field: [
                        _("Tệp «%(name)s» không nhận được: chỉ nhận %(kinds)s.")
                        % {"name": name, "kinds": accepted_text(kinds)}
                    ]
                },
                code=ErrorCode.FILE_KIND,
            )
        clean = reencoded(kind, content)
        if clean is None:
            raise InputError(
                {field: [_("Ảnh «%(name)s» bị hỏng hoặc quá lớn, không đọc được.") % {"name": name}]},
                code=ErrorCode.FILE_DAMAGED,
            )
        stem = name.rsplit(".", 1)[0] if "." in name else name
        out.append((f"{stem}.{kind}", kind, clean))
    return out


def accepted_text(kinds: frozenset[str]) -> str:
    names = {"pdf": "PDF", "docx": _("Word (.docx)"), "xlsx": _("Excel (.xlsx)"), "jpg": _("ảnh JPEG"), "png": "PNG"}
    listed = [str(names[k]) for k in ("pdf", "docx", "xlsx", "jpg", "png") if k in kinds]
    if len(listed) == 1:
        return listed[0]
    return _("%(some)s hoặc %(last)s") % {"some": ", ".join(listed[:-1]), "last": listed[-1]}
