"""Every action a service writes to the audit log has a label in words (kizuna/core/audit_labels.py).

The codes are found in the source: each `record_audit(action=...)` call, followed through the
helpers that pass the code on (`_audit(actor, "published", ...)` → "contests.published") and
through enum members (`action=ReviewItem.Action.HIDE` → "moderation.hide").
"""

import ast
import importlib
import itertools
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from kizuna.core.audit_labels import ACTION_LABELS

KIZUNA = Path(settings.BASE_DIR) / "kizuna"


class _Module:
    def __init__(self, path: Path) -> None:
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.name = ".".join(path.relative_to(KIZUNA.parent).with_suffix("").parts)
        self.enclosing: dict[ast.AST, ast.FunctionDef] = {}
        self.calls: dict[str, list[ast.Call]] = defaultdict(list)
        # ast.walk reaches an outer function before the ones nested in it, so the innermost
        # function is the one left for each node.
        for function in ast.walk(self.tree):
            if isinstance(function, ast.FunctionDef):
                for node in ast.walk(function):
                    if node is not function:
                        self.enclosing[node] = function
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                self.calls[node.func.id].append(node)

    def values(self, expr: ast.expr, at: ast.AST) -> set[str]:
        """Every string `expr` can be at run time, or an AssertionError naming what is not known."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.values(expr.body, at) | self.values(expr.orelse, at)
        if isinstance(expr, ast.JoinedStr):
            parts = [
                {part.value} if isinstance(part, ast.Constant) else self.values(part.value, at)
                for part in expr.values
            ]
            return {"".join(combination) for combination in itertools.product(*parts)}
        if isinstance(expr, ast.Attribute):
            value: object = importlib.import_module(self.name)
            for name in reversed(list(_attribute_chain(expr))):
                value = getattr(value, name)
            return {str(value)}
        if isinstance(expr, ast.Name):
            return self._argument_values(expr.id, at)
        raise AssertionError(f"{self.name}: cannot tell the audit action {ast.unparse(expr)}")

    def _argument_values(self, parameter: str, at: ast.AST) -> set[str]:
        """A parameter's values: what every call of its function in this module passes."""
        function = self.enclosing.get(at)
        assert function is not None, f"{self.name}: {parameter} is not a parameter"
        arguments = function.args
        positional = [arg.arg for arg in [*arguments.posonlyargs, *arguments.args]]
        found: set[str] = set()
        for call in self.calls[function.name]:
            passed = [kw.value for kw in call.keywords if kw.arg == parameter]
            if not passed and parameter in positional:
                passed = [call.args[positional.index(parameter)]]
            for expr in passed:
                found |= self.values(expr, call)
        assert found, f"{self.name}: no call of {function.name} passes {parameter}"
        return found


def _attribute_chain(expr: ast.expr) -> Iterator[str]:
    while isinstance(expr, ast.Attribute):
        yield expr.attr
        expr = expr.value
    assert isinstance(expr, ast.Name)
    yield expr.id


def recorded_actions() -> dict[str, str]:
    """Each action code the services record, with the module that records it."""
    found: dict[str, str] = {}
    for path in sorted(KIZUNA.rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts) or "record_audit(" not in path.read_text():
            continue
        module = _Module(path)
        for call in module.calls["record_audit"]:
            for keyword in call.keywords:
                if keyword.arg == "action":
                    for code in module.values(keyword.value, call):
                        found.setdefault(code, module.name)
    return found


def test_the_source_scan_finds_the_actions_of_every_kind_of_call() -> None:
    actions = recorded_actions()
    assert actions["staff_role.changed"] == "kizuna.identity.services"  # a constant
    assert {"account.created", "account.updated"} <= set(actions)  # either branch
    assert actions["contests.published"] == "kizuna.contests.services"  # through a helper
    assert actions["moderation.hide"] == "kizuna.moderation.services"  # an enum member


def test_every_recorded_action_has_a_label_in_words() -> None:
    missing = {
        code: module for code, module in recorded_actions().items() if code not in ACTION_LABELS
    }
    assert missing == {}, "add these to ACTION_LABELS in kizuna/core/audit_labels.py"


def test_every_label_is_for_an_action_still_recorded() -> None:
    assert set(ACTION_LABELS) - set(recorded_actions()) == set()
