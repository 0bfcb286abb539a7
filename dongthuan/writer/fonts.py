"""Fonts with every Vietnamese glyph for the PDFs we print. Word files name Times New Roman (on every office PC);
a PDF embeds its font, so it needs a TrueType file on the server with every Vietnamese letter: Liberation Serif
(metrics of Times New Roman) when a version with them is installed, else DejaVu Serif (Debian's fonts-dejavu-core, on every Debian machine). ``DOCUMENT_FONT_DIRS``
adds places to look."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from dongthuan.core.errors import ErrorCode, StateError

# (family, regular, bold, italic, bold italic): the first family whose regular and bold files exist is used.
FAMILIES = [
    (
        "LiberationSerif",
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-BoldItalic.ttf",
    ),
    ("DejaVuSerif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
]
# Every letter of Vietnamese, lower and upper case: a family is used only if its regular and bold faces have them
# all (Debian's older fonts-liberation, pulled in by chromium, lacks most of them).
VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE_LETTERS += VIETNAMESE_LETTERS.upper()
DEFAULT_DIRS = ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts"]


@dataclass(frozen=True)
class FontFiles:
    family: str
    regular: Path
    bold: Path
    italic: Path  # the regular file when the family has no italic here
    bold_italic: Path


def covers_vietnamese(path: Path) -> bool:
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        chars = TTFontFile(str(path)).charToGlyph
    except Exception:  # noqa: BLE001 - a damaged or unreadable file is simply not used
        return False
    return all(ord(c) in chars for c in VIETNAMESE_LETTERS)


def _find(directories: list[Path], name: str) -> Path | None:
    for directory in directories:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    for directory in directories:  # one level of subfolders (/usr/share/fonts/truetype/<family>/)
        if directory.is_dir():
            for candidate in directory.glob(f"*/*/{name}"):
                return candidate
    return None


@functools.cache
def document_fonts() -> FontFiles:
    """The font files for PDFs, or a clear error naming the package to install."""
    directories = [Path(d) for d in [*getattr(settings, "DOCUMENT_FONT_DIRS", []), *DEFAULT_DIRS]]
    for family, regular, bold, italic, bold_italic in FAMILIES:
        r, b = _find(directories, regular), _find(directories, bold)
        if r and b and covers_vietnamese(r) and covers_vietnamese(b):
            i, bi = _find(directories, italic), _find(directories, bold_italic)
            return FontFiles(
                family,
                r,
                b,
                i if i and covers_vietnamese(i) else r,
                bi if bi and covers_vietnamese(bi) else b,
            )
    raise StateError(
        _(
            "Máy chủ chưa có phông chữ tiếng Việt để in PDF. Hãy cài gói fonts-dejavu-core "
            "(apt-get install fonts-dejavu-core) hoặc khai báo DOCUMENT_FONT_DIRS."
        ),
        code=ErrorCode.NO_FONT,
    )
