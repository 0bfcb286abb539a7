"""Migrations: each carries its own copy of the data and functions it needs, so that a later change of the
project's code never changes what an old migration does; and the migrations match the models."""

from __future__ import annotations

import ast
import importlib
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

import dongthuan

PROJECT = "dongthuan"
ROOT = Path(dongthuan.__file__).parent.parent


def _is_project(module: str | None) -> bool:
    return module is not None and (module == PROJECT or module.startswith(PROJECT + "."))


def project_imports(source: str) -> list[tuple[int, str]]:
    """Where ``source`` reaches into the project's code: ``import dongthuan…``, ``from dongthuan… import``, a
    relative import (the migrations package sits inside an app), or ``import_module("dongthuan…")`` /
    ``__import__("dongthuan…")``. Each as (line, what)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if _is_project(a.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level or _is_project(node.module):
                found.append((node.lineno, f"from {'.' * node.level}{node.module or ''} import …"))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _is_project(first.value)
            ):
                found.append((node.lineno, f"{name}({first.value!r})"))
    return found


def test_the_check_finds_every_way_of_importing_the_project():
    source = (
        "import json\n"
        "from django.db import migrations\n"
        "import dongthuan.rules\n"
        "from dongthuan.rules.documents import DOCUMENT_TYPES\n"
        "from . import helpers\n"
        "def f():\n"
        "    from dongthuan.documents.search import document_texts\n"
        "    importlib.import_module('dongthuan.documents.migrations.0003_full_text_search')\n"
        "    __import__('dongthuan')\n"
        "    importlib.import_module('dongthuanx')\n"
    )
    assert project_imports(source) == [
        (3, "import dongthuan.rules"),
        (4, "from dongthuan.rules.documents import …"),
        (5, "from . import …"),
        (7, "from dongthuan.documents.search import …"),
        (8, "import_module('dongthuan.documents.migrations.0003_full_text_search')"),
        (9, "__import__('dongthuan')"),
    ]


def test_no_migration_imports_the_project_code():
    """A migration that imports dongthuan.… would do something else once that code changes: it carries a frozen
    copy of what it needs instead."""
    ours = {c.label for c in apps.get_app_configs() if _is_project(c.name)}
    loaded = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    paths = sorted(Path(sys.modules[m.__module__].__file__ or "") for (app, _n), m in loaded.items() if app in ours)
    assert paths == sorted(Path(dongthuan.__file__).parent.glob("*/migrations/[0-9]*.py"))  # every one is read
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in paths
        for line, what in project_imports(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_frozen_document_types_of_documents_0002():
    """R-DOC-1: the types the migration writes, as they were when it was written."""
    migration = importlib.import_module("dongthuan.documents.migrations.0002_document_types")
    assert migration.DOCUMENT_TYPES == [
        ("Nghị quyết", "NQ"),
        ("Quyết định", "QĐ"),
        ("Chỉ thị", "CT"),
        ("Kết luận", "KL"),
        ("Quy chế", "QC"),
        ("Quy định", "QĐ"),
        ("Thông tri", "TT"),
        ("Hướng dẫn", "HD"),
        ("Thông báo", "TB"),
        ("Báo cáo", "BC"),
        ("Kế hoạch", "KH"),
        ("Chương trình", "CTr"),
        ("Đề án", "ĐA"),
        ("Tờ trình", "TTr"),
        ("Công văn", "CV"),
        ("Biên bản", "BB"),
    ]


def test_frozen_index_texts_of_documents_0007():
    """The search texts the migration writes: syllables folded (no diacritics, đ → d), pairs joined by q, tags."""
    migration = importlib.import_module("dongthuan.documents.migrations.0007_search_pairs_and_tags")
    title, text = migration.document_texts(
        symbol="01-NQ/HU",
        type_name="Nghị quyết",
        title="Đổi mới phương thức lãnh đạo",
        field="Xây dựng Đảng",
        sections=[{"heading": "I.", "text": "Cán bộ, ĐẢNG viên_Trung Mỹ"}],
        organization_id=7,
        doc_type_id=1,
        year=2017,
    )
    tags = "zzorg7 zztype1 zzyear2017 zzfieldxaydungdang"
    assert title == (
        "01 nq hu nghi quyet doi moi phuong thuc lanh dao "
        "01qnq nqqhu huqnghi nghiqquyet quyetqdoi doiqmoi moiqphuong phuongqthuc thucqlanh lanhqdao " + tags
    )
    assert text == (
        "01 nq hu nghi quyet doi moi phuong thuc lanh dao xay dung dang i can bo dang vien trung my "
        "01qnq nqqhu huqnghi nghiqquyet quyetqdoi doiqmoi moiqphuong phuongqthuc thucqlanh lanhqdao daoqxay "
        "xayqdung dungqdang dangqi iqcan canqbo boqdang dangqvien vienqtrung trungqmy " + tags
    )
    draft = migration.document_texts(
        symbol="",
        type_name="Tờ trình",
        title="",
        field="",
        sections=[],
        organization_id=3,
        doc_type_id=14,
        year=None,
    )
    assert draft == ("to trinh toqtrinh zzorg3 zztype14", "to trinh toqtrinh zzorg3 zztype14")


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    """``makemigrations --check``: no model change is left without its migration."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert out.getvalue() == "No changes detected\n"
