"""Discovers the rules: every module ``<code>_<name>.py`` of :mod:`schemactl.lint.rules`."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from schemactl.lint import rules as rules_package
from schemactl.lint.model import SEVERITIES, Rule

_MODULE_NAME = re.compile(r"^(?P<code>[a-z]+[0-9]{3})_(?P<name>[a-z0-9_]+)$")


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by code.

    A rule module defines ``SEVERITY`` ("error" or "warning"), a ``check(ctx)`` function and a
    docstring (the rule's documentation); its code and name come from the module name, so a
    rule cannot be listed under a code that differs from its file.
    """
    found: list[Rule] = []
    for info in pkgutil.iter_modules(rules_package.__path__):
        match = _MODULE_NAME.match(info.name)
        if match is None:
            continue
        module = importlib.import_module(f"{rules_package.__name__}.{info.name}")
        severity = getattr(module, "SEVERITY", None)
        if severity not in SEVERITIES:
            raise RuntimeError(f"lint rule {info.name}: SEVERITY must be 'error' or 'warning'")
        if not module.__doc__ or not callable(getattr(module, "check", None)):
            raise RuntimeError(f"lint rule {info.name}: needs a docstring and a check() function")
        found.append(
            Rule(
                code=match["code"].upper(),
                name=match["name"],
                severity=severity,
                doc=module.__doc__,
                check=module.check,
                module=module.__name__,
            )
        )
    return tuple(sorted(found, key=lambda rule: rule.code))


def rule(code: str) -> Rule:
    """The rule with ``code`` (case-insensitive); ``KeyError`` if there is none."""
    for candidate in all_rules():
        if candidate.code == code.upper():
            return candidate
    raise KeyError(code)
