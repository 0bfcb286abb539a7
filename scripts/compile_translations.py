"""Compile the .po catalogues to .mo without GNU gettext; with --check, fail if a catalogue is incomplete or
its .mo is out of date. The compiled .mo files are committed, so running the product needs no gettext tools."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "dongthuan" / "locale"


def main(check: bool) -> int:
    problems = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
        if po_path.parts[-3] != "vi" and missing:
            problems.append(f"{po_path}: {len(missing)} untranslated or fuzzy, e.g. {missing[:3]}")
        mo_path = po_path.with_suffix(".mo")
        with tempfile.NamedTemporaryFile(suffix=".mo") as tmp:
            po.save_as_mofile(tmp.name)
            fresh = Path(tmp.name).read_bytes()
        if check:
            if not mo_path.exists() or mo_path.read_bytes() != fresh:
                problems.append(f"{mo_path} is out of date: run .venv/bin/python scripts/compile_translations.py")
        else:
            mo_path.write_bytes(fresh)
            print(f"compiled {mo_path.relative_to(LOCALE.parent.parent)}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
