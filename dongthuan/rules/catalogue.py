"""The catalogue of rules, docs/rules.md: written from the registry (``RULES``) and the tests named after each rule,
by ``manage.py rules_doc``; tests/rules/test_catalogue.py fails while the file in the repository differs."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from dongthuan.rules import FAMILIES, RULES, STATUSES, Rule

CATALOGUE = Path("docs") / "rules.md"  # in the repository
RULE_ID = re.compile(r"\bR-([A-Z]{3})-(\d+)\b")
# test_r_dec_1_tie_fails names R-DEC-1; test_r_dec_10_… does not.
TEST_NAME_ID = re.compile(r"(?:^|_)r_([a-z]{3})_(\d+)(?=_|$)")


def rule_order(rule_id: str) -> tuple[int, int]:
    """Families in the catalogue's order, then by number (R-DOC-4 before R-DOC-5 whatever the registration)."""
    match = RULE_ID.fullmatch(rule_id)
    if match is None or match.group(1) not in FAMILIES:
        raise ValueError(f"{rule_id} is not the id of a rule of a known family")
    return list(FAMILIES).index(match.group(1)), int(match.group(2))


def ids_of_test(name: str, docstring: str | None) -> set[str]:
    """The rules a test is about: named after one (``test_r_dec_1_…``) or naming one in its docstring."""
    ids = {f"R-{family.upper()}-{number}" for family, number in TEST_NAME_ID.findall(name)}
    ids |= {f"R-{family}-{number}" for family, number in RULE_ID.findall(docstring or "")}
    return ids


def rule_tests(root: Path) -> dict[str, list[str]]:
    """Each rule's tests under ``root``/tests, as ``tests/…/test_x.py::test_name``, in file and line order."""
    found: list[tuple[str, int, str, set[str]]] = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        where = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                ids = ids_of_test(node.name, ast.get_docstring(node))
                if ids:
                    found.append((where, node.lineno, node.name, ids))
    tests: dict[str, list[str]] = {}
    for where, _line, name, ids in sorted(found):
        for rule_id in sorted(ids):
            tests.setdefault(rule_id, []).append(f"{where}::{name}")
    return tests


def _anchor(rule_id: str) -> str:
    return rule_id.lower()


def render(rules: Mapping[str, Rule], tests: Mapping[str, Sequence[str]]) -> str:
    """docs/rules.md for ``rules``, with ``tests`` per rule id."""
    ordered = sorted(rules.values(), key=lambda r: rule_order(r.id))
    lines = [
        "# Rules the product encodes",
        "",
        "<!-- Written by `manage.py rules_doc` from `dongthuan/rules` (`RULES`) and the tests named after each rule:",
        "     do not edit; change the registry and run the command again. -->",
        "",
        "The checkable rules of the political system that Đồng Thuận encodes. Each has an id, its wording, the source",
        "it comes from and a status, lives in one place in `dongthuan/rules/` (as data or a small pure function), and",
        "has tests named after its id (`test_r_dec_1_…`, or the id in the test's docstring). Paths below are under",
        "`dongthuan/`.",
        "",
        "Statuses:",
        "",
        *[f"- **{status}**: {meaning}" for status, meaning in STATUSES.items()],
        "",
        "| rule | status | source |",
        "|---|---|---|",
        *[f"| [{r.id}](#{_anchor(r.id)}) | {r.status} | {r.citation} |" for r in ordered],
    ]
    family = ""
    for rule in ordered:
        if rule.id.split("-")[1] != family:
            family = rule.id.split("-")[1]
            lines += ["", f"## {FAMILIES[family]}"]
        lines += ["", f"### {rule.id}", "", rule.wording, "", f"- **Source:** {rule.citation}"]
        lines.append(f"- **Status:** {rule.status}")
        if rule.enforced:
            lines.append(f"- **Encoded in:** {rule.enforced}")
        if rule.note:
            lines.append(f"- **Note:** {rule.note}")
        named = tests.get(rule.id, [])
        lines.append("- **Tests:**" + ("" if named else " none"))
        lines += [f"  - `{test}`" for test in named]
    return "\n".join(lines) + "\n"


def catalogue(root: Path) -> str:
    """The catalogue of the registry and of the tests under ``root`` (the repository)."""
    return render(RULES, rule_tests(root))
