"""The catalogue of rules (docs/rules.md): written from the registry and the tests, kept up to date, and every rule
the code or the documentation cites is registered, encoded where the registry says and tested under its id."""

from __future__ import annotations

import ast
import functools
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from dongthuan.rules import RULES, Rule
from dongthuan.rules.catalogue import CATALOGUE, RULE_ID, catalogue, ids_of_test, render, rule_order, rule_tests

ROOT = Path(settings.BASE_DIR)
SOURCE = ROOT / "dongthuan"


def test_docs_rules_md_is_up_to_date():
    """docs/rules.md is what ``manage.py rules_doc`` writes now; after changing a rule or its tests, run it."""
    assert (ROOT / CATALOGUE).read_text(encoding="utf-8") == catalogue(ROOT)


def test_rules_doc_writes_the_catalogue_and_checks_it(tmp_path):
    target = tmp_path / "docs" / "rules.md"
    out = StringIO()
    call_command("rules_doc", output=target, stdout=out)
    assert out.getvalue() == f"Wrote {target}.\n"
    assert target.read_text(encoding="utf-8") == catalogue(ROOT)
    out = StringIO()
    call_command("rules_doc", "--check", output=target, stdout=out)
    assert out.getvalue() == f"{target} is up to date.\n"
    target.write_text(catalogue(ROOT).replace("A party cell needs at least 3", "A party cell needs at least 2"))
    with pytest.raises(CommandError, match=r"rules\.md is out of date: run manage\.py rules_doc\."):
        call_command("rules_doc", "--check", output=target, stdout=StringIO())
    assert "at least 2 full members" in target.read_text(encoding="utf-8")  # --check writes nothing


def test_tests_are_found_by_name_or_docstring(tmp_path):
    (tmp_path / "tests" / "meetings").mkdir(parents=True)
    (tmp_path / "tests" / "meetings" / "test_votes.py").write_text(
        "def test_r_dec_1_tie_fails():\n"
        "    pass\n"
        "def test_r_dec_10_counted_apart():\n"
        "    pass\n"
        "def test_secret_ballot():\n"
        '    """R-DEC-5 and R-ELE-5: a ballot is never tied to its voter."""\n'
        "def helper_r_dec_2():\n"
        "    pass\n"
        "def test_quorum():\n"
        "    pass\n"
    )
    (tmp_path / "tests" / "test_a.py").write_text("def test_r_dec_1_four_of_seven():\n    pass\n")
    (tmp_path / "tests" / "helpers.py").write_text("def test_r_dec_3_not_a_test_module():\n    pass\n")
    assert rule_tests(tmp_path) == {
        "R-DEC-1": [
            "tests/meetings/test_votes.py::test_r_dec_1_tie_fails",
            "tests/test_a.py::test_r_dec_1_four_of_seven",
        ],
        "R-DEC-10": ["tests/meetings/test_votes.py::test_r_dec_10_counted_apart"],
        "R-DEC-5": ["tests/meetings/test_votes.py::test_secret_ballot"],
        "R-ELE-5": ["tests/meetings/test_votes.py::test_secret_ballot"],
    }
    assert ids_of_test("test_r_org_4_and_r_doc_2_together", None) == {"R-ORG-4", "R-DOC-2"}


def test_the_catalogue_of_a_registry():
    rules = {
        "R-DOC-5": Rule(id="R-DOC-5", citation="Quy tắc của sản phẩm", status="product rule", wording="Never changes."),
        "R-DEC-1": Rule(
            id="R-DEC-1",
            citation="Điều lệ Đảng 2011, Điều 9 khoản 5",
            status="firm",
            wording="More than half.",
            enforced="`rules/decisions.py` `passes`",
            note="Not on paper ballots.",
        ),
        "R-DOC-4": Rule(id="R-DOC-4", citation="36-HD/VPTW", status="to confirm", wording="The layout."),
    }
    text = render(rules, {"R-DEC-1": ["tests/a.py::test_r_dec_1_x", "tests/b.py::test_y"]})
    assert text.split("| rule | status | source |\n")[1] == (
        "|---|---|---|\n"
        "| [R-DEC-1](#r-dec-1) | firm | Điều lệ Đảng 2011, Điều 9 khoản 5 |\n"
        "| [R-DOC-4](#r-doc-4) | to confirm | 36-HD/VPTW |\n"
        "| [R-DOC-5](#r-doc-5) | product rule | Quy tắc của sản phẩm |\n"
        "\n"
        "## Decisions of a collective body\n"
        "\n"
        "### R-DEC-1\n"
        "\n"
        "More than half.\n"
        "\n"
        "- **Source:** Điều lệ Đảng 2011, Điều 9 khoản 5\n"
        "- **Status:** firm\n"
        "- **Encoded in:** `rules/decisions.py` `passes`\n"
        "- **Note:** Not on paper ballots.\n"
        "- **Tests:**\n"
        "  - `tests/a.py::test_r_dec_1_x`\n"
        "  - `tests/b.py::test_y`\n"
        "\n"
        "## Documents: types, numbers, layout\n"
        "\n"
        "### R-DOC-4\n"
        "\n"
        "The layout.\n"
        "\n"
        "- **Source:** 36-HD/VPTW\n"
        "- **Status:** to confirm\n"
        "- **Tests:** none\n"
        "\n"
        "### R-DOC-5\n"
        "\n"
        "Never changes.\n"
        "\n"
        "- **Source:** Quy tắc của sản phẩm\n"
        "- **Status:** product rule\n"
        "- **Tests:** none\n"
    )


def test_every_registered_rule_is_complete_and_tested_under_its_id():
    tests = rule_tests(ROOT)
    assert sorted(RULES, key=rule_order) == [
        *(f"R-ORG-{n}" for n in range(1, 5)),
        *(f"R-DEC-{n}" for n in range(1, 6)),
        *(f"R-ELE-{n}" for n in range(1, 6)),
        *(f"R-DOC-{n}" for n in range(1, 6)),
        *(f"R-PUB-{n}" for n in range(1, 6)),
    ]
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.citation and rule.wording and rule.enforced, rule_id
        assert rule.status in ("firm", "to confirm", "product rule")
        assert tests.get(rule_id), f"{rule_id} has no test named after it"
    assert set(tests) <= set(RULES), "a test names a rule that is not registered"


def _cited_files() -> list[Path]:
    # The glossary names the rules of capabilities still to come (cadre work, discipline): it is not cited as code.
    files = [ROOT / "README.md", *(p for p in (ROOT / "docs").glob("*.md") if p.name != "glossary.md")]
    for pattern in ("*.py", "*.html", "*.txt"):
        files += SOURCE.rglob(pattern)
    return sorted(files)


def test_every_rule_cited_in_the_code_and_the_documentation_is_registered():
    cited: dict[str, set[str]] = {}
    for path in _cited_files():
        for family, number in RULE_ID.findall(path.read_text(encoding="utf-8")):
            cited.setdefault(f"R-{family}-{number}", set()).add(path.relative_to(ROOT).as_posix())
    assert {rule_id: files for rule_id, files in cited.items() if rule_id not in RULES} == {}
    assert set(RULES) <= set(cited)


@functools.cache
def _defined(path: Path) -> frozenset[str]:
    """The names a module defines or imports: functions, classes, their arguments, assigned names and attributes
    (model fields among them), imports, and strings that are whole names (settings read from the environment). Not
    the words of its comments or texts, so that a registry's own text never vouches for itself."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).rsplit(".", 1)[-1])
        elif isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.id if isinstance(node, ast.Name) else node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            names.add(node.value)
    return frozenset(names)


def _enforced_problems(rule: Rule) -> list[str]:
    """Every path an ``enforced`` text names exists under dongthuan/ (a migration by app and number), and every name
    after a path is defined or imported in that file (a name before any path, or dotted, anywhere under
    dongthuan/)."""
    everywhere = frozenset().union(*(_defined(p) for p in SOURCE.rglob("*.py")))
    problems = []
    for clause in rule.enforced.split(";"):
        current: frozenset[str] | None = None
        for token in re.findall(r"`([^`]+)`", clause):
            migration = re.fullmatch(r"(\w+)/(\d{4})", token)
            if migration:
                if not list(SOURCE.glob(f"{migration[1]}/migrations/{migration[2]}_*.py")):
                    problems.append(f"no migration {token}")
            elif token.endswith(".py"):
                current = _defined(SOURCE / token) if (SOURCE / token).is_file() else frozenset()
                if not current:
                    problems.append(f"no file {token}")
            else:
                name = re.match(r"[A-Za-z_][\w.]*", token)
                if name is None:
                    continue
                parts = name[0].split(".")
                if parts[-1] not in (current if current and len(parts) == 1 else everywhere):
                    problems.append(f"{token} not found")
    return problems


def test_where_each_rule_is_encoded_exists():
    assert {rule_id: _enforced_problems(rule) for rule_id, rule in RULES.items() if _enforced_problems(rule)} == {}


def test_a_stale_encoding_is_found():
    rule = Rule(
        id="R-DEC-1",
        citation="x",
        status="firm",
        wording="x",
        enforced="`rules/decisions.py` `passes`, `poll_close`; `meetings/old.py` `x`; migration `documents/0099`; `Nowhere`",
    )
    assert _enforced_problems(rule) == [
        "poll_close not found",  # named in the registry's text of decisions.py, defined in meetings/services.py
        "no file meetings/old.py",
        "no migration documents/0099",
        "Nowhere not found",
    ]
