"""The history pages name every action in words: each action code the code writes into the audit history has a
Vietnamese label in ``ACTION_LABELS`` (and an English one in the catalogue), so that no page shows a code name."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation

from dongthuan.audit.models import ACTION_LABELS, AuditEvent

SOURCE = Path(__file__).resolve().parents[2] / "dongthuan"
WRITERS = {"audit_record", "audit_record_many"}


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literals(node: ast.expr | None) -> list[str] | None:
    """The codes an ``action=`` argument can take: a literal string, or a choice between literals
    (``"update" if change else "create"``); None when it is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def written_actions() -> tuple[dict[str, list[str]], list[str]]:
    """Every action code passed to ``audit_record`` or ``audit_record_many`` anywhere in the application (where it
    is written), and the places whose action is computed (which no scan can read)."""
    found: dict[str, list[str]] = {}
    unreadable: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _called(node) not in WRITERS:
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            codes = _literals(next((k.value for k in node.keywords if k.arg == "action"), None))
            if codes is None:
                unreadable.append(where)
            for code in codes or []:
                found.setdefault(code, []).append(where)
    return found, unreadable


def test_every_action_written_to_the_history_has_a_label():
    found, unreadable = written_actions()
    assert unreadable == [], "an audit action must be written as a literal, so that its label can be checked"
    assert len(found) > 60  # the scan reads the services (some seventy actions)
    missing = {code: places for code, places in found.items() if code not in ACTION_LABELS}
    assert missing == {}


def test_every_label_is_in_words_in_both_languages():
    found, _unreadable = written_actions()
    for code in found:
        event = AuditEvent(action=code)
        with translation.override("vi"):
            vietnamese = event.action_label
        with translation.override("en"):
            english = event.action_label
        assert vietnamese != code and english != code, code
        assert vietnamese != english, code  # the English catalogue has it


def test_article_steps_are_recorded_under_their_own_labelled_actions():
    found, _unreadable = written_actions()
    steps = {"article_review", "article_draft", "article_published", "article_withdrawn"}
    assert steps <= set(found)
    with translation.override("vi"):
        assert [str(ACTION_LABELS[s]) for s in sorted(steps)] == [
            "Trả bài viết để sửa",
            "Đăng bài viết",
            "Gửi duyệt bài viết",
            "Gỡ bài viết",
        ]
