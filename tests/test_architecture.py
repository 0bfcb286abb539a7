"""Who decides what, in one predictable place per app. The import contracts in pyproject.toml (`lint-imports`)
keep the apps in layers; this keeps each app's pages asking their own app's permissions.py."""

from __future__ import annotations

import ast
import pathlib

import dongthuan

ROOT = pathlib.Path(dongthuan.__file__).parent


def _imported_modules(path: pathlib.Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_views_ask_only_their_own_apps_permissions():
    """A view imports its checks and loaders from its own app's permissions.py, never from another app's: where a
    page needs another app's check, its app names it in its own permissions.py."""
    wrong = [
        f"{views.parent.name}/views.py imports {module}"
        for views in sorted(ROOT.glob("*/views.py"))
        for module in _imported_modules(views)
        if module.endswith(".permissions") and module != f"dongthuan.{views.parent.name}.permissions"
    ]
    assert wrong == []


def test_every_app_with_records_to_guard_has_its_permissions_module():
    """The apps whose pages load records by id decide who may open them in their own permissions.py (accounts
    guards only one's own account, site only shows what the apps below decide)."""
    apps = sorted(p.parent.name for p in ROOT.glob("*/permissions.py"))
    assert apps == [
        "consultations",
        "documents",
        "exchange",
        "meetings",
        "organizations",
        "people",
        "portal",
        "programs",
        "restructuring",
    ]
    assert not (ROOT / "permissions.py").exists()
