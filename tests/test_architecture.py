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


def _imported_names(path: pathlib.Path) -> list[str]:
    """Every module imported and every name imported from one, dotted: ``from a import b`` gives ``a.b``."""
    found = _imported_modules(path)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
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


# --- The shape of each app's code (docs/architecture.md, "Where a new app's pieces go") -----------------------------
# Each check lists the apps that do not yet keep it; an app leaves the list when it does, and the list only shrinks.

APPS = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "locale")


def _modules(app: str, name: str) -> list[pathlib.Path]:
    """``<app>/<name>.py`` or every module of the package ``<app>/<name>/``."""
    single = ROOT / app / f"{name}.py"
    return [single] if single.exists() else sorted((ROOT / app / name).glob("**/*.py"))


def _app_sources(app: str) -> list[pathlib.Path]:
    return [p for p in sorted((ROOT / app).glob("**/*.py")) if "migrations" not in p.parts]


def _by_app(found: list[tuple[str, str]], pending: set[str]) -> tuple[list[str], list[str]]:
    """(what breaks the rule in an app that keeps it, apps listed as pending that keep it already)."""
    wrong = [what for app, what in found if app not in pending]
    done = sorted(pending - {app for app, _ in found})
    return wrong, done


SELECTORS_IMPORT_SERVICES: set[str] = set()


def test_selectors_never_import_services():
    """Reads live in selectors and writes in services; a service may read through selectors, never the reverse."""
    found = [
        (app, f"{path.relative_to(ROOT)} imports {module}")
        for app in APPS
        for path in _modules(app, "selectors")
        for module in _imported_names(path)
        if "services" in module.split(".")
    ]
    wrong, done = _by_app(found, SELECTORS_IMPORT_SERVICES)
    assert wrong == [] and done == []


def _attribute_uses(path: pathlib.Path, attr: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == attr
    ]


VIEWS_QUERY_MODELS: set[str] = set()


def test_views_do_not_query_models():
    """A view loads through its app's permissions.py and reads through selectors; it never calls a manager."""
    found = [
        (app, f"{path.relative_to(ROOT)}:{line} uses .objects")
        for app in APPS
        for path in _modules(app, "views")
        for line in _attribute_uses(path, "objects")
    ]
    wrong, done = _by_app(found, VIEWS_QUERY_MODELS)
    assert wrong == [] and done == []


def _raw_request_data(path: pathlib.Path) -> list[int]:
    """Lines where a view reads ``request.POST`` or ``request.FILES`` other than by handing it to a form."""
    tree = ast.parse(path.read_text())
    handed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                handed.add(id(arg))
                # Django's idiom: ``Form(request.POST or None)`` binds the form only when something was posted.
                if isinstance(arg, ast.BoolOp) and isinstance(arg.op, ast.Or) and len(arg.values) == 2:
                    first, second = arg.values
                    if isinstance(second, ast.Constant) and second.value is None:
                        handed.add(id(first))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("POST", "FILES")
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
        and id(node) not in handed
    ]


VIEWS_READ_POST_BY_HAND: set[str] = set()


def test_every_post_goes_through_a_form():
    """A view hands ``request.POST`` and ``request.FILES`` to a form and reads only the form's cleaned data: every
    value a user sends is checked (types, lengths, NUL bytes) in one place."""
    found = [
        (app, f"{path.relative_to(ROOT)}:{line} reads the request's data by hand")
        for app in APPS
        for path in _modules(app, "views")
        for line in _raw_request_data(path)
    ]
    wrong, done = _by_app(found, VIEWS_READ_POST_BY_HAND)
    assert wrong == [] and done == []


def _refusals_without_a_code(path: pathlib.Path) -> list[str]:
    """Raises of a domain error that are not a family's class with ``code=ErrorCode.<NAME>``."""
    from dongthuan.core.errors import FAMILIES

    families = {family.__name__ for family in FAMILIES}
    wrong = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "DomainError":
            wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} raises DomainError, not its family")
        elif name in families:
            code = next((k.value for k in node.exc.keywords if k.arg == "code"), None)
            named = (
                isinstance(code, ast.Attribute) and isinstance(code.value, ast.Name) and code.value.id == "ErrorCode"
            )
            if not named:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} raises {name} without code=ErrorCode.…")
    return wrong


REFUSALS_WITHOUT_A_CODE: set[str] = {
    "organizations",
    "people",
}


def test_every_refusal_carries_a_code_and_a_family():
    """Every refusal a service raises is one family's exception (core/errors.py) with a code of ``ErrorCode``."""
    found = [(app, what) for app in APPS for path in _app_sources(app) for what in _refusals_without_a_code(path)]
    wrong, done = _by_app(found, REFUSALS_WITHOUT_A_CODE)
    assert wrong == [] and done == []


def _untyped_actors(path: pathlib.Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.arg) and node.arg == "actor":
            note = node.annotation
            if note is None or (isinstance(note, ast.Name) and note.id == "Any"):
                lines.append(node.lineno)
    return lines


ACTORS_UNTYPED: set[str] = set()


def test_every_actor_is_typed():
    """``actor`` — who makes a write — is ``core.types.Actor`` (a user, or None for the system), never ``Any``."""
    found = [
        (app, f"{path.relative_to(ROOT)}:{line} takes an untyped actor")
        for app in APPS
        for path in _app_sources(app)
        for line in _untyped_actors(path)
    ]
    wrong, done = _by_app(found, ACTORS_UNTYPED)
    assert wrong == [] and done == []
