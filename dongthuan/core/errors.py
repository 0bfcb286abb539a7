"""Domain errors: raised by services with a message a user can read (in Vietnamese by default)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A rule or a workflow guard refused a write. Forms show it like any validation error.

    ``rule`` carries the rule id (R-ORG-1 …) when the refusal comes from a rule of the registry
    (``dongthuan.rules.RULES``, catalogued in docs/rules.md).
    """

    def __init__(self, message, code: str | None = None, params=None, rule: str | None = None):
        super().__init__(message, code=code, params=params)
        self.rule = rule
