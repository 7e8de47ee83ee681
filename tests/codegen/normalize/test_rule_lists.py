"""The normalizer's three rule lists: named, in the order the guide gives, no rule left out."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from codegen import normalize, rules
from codegen.normalize import OPERATION_RULES, RULES, SCHEMA_RULES, State
from codegen.rules import Rule

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "guides" / "regeneration.md"
LISTS: dict[str, tuple[Rule[Any], ...]] = {
    "Document rules": RULES,
    "Schema rules": SCHEMA_RULES,
    "Operation rules": OPERATION_RULES,
}
SUPPORT = {"codegen.normalize.base", "codegen.normalize.source"}
"""The modules with no rules: what the rules share, reading and writing documents."""


def documented(heading: str) -> list[str]:
    """The rule names the guide lists under ``### <heading>``, in order."""
    section = GUIDE.read_text(encoding="utf-8").split("## The normalizer's rules", 1)[1]
    part = section.split(f"### {heading}\n", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\d+\. `([a-z-]+)`", part, flags=re.MULTILINE)


def modules() -> list[ModuleType]:
    found = pkgutil.walk_packages(normalize.__path__, prefix="codegen.normalize.")
    return [importlib.import_module(info.name) for info in found]


def defined_rules(module: ModuleType) -> list[Rule[Any]]:
    return [v for v in vars(module).values() if isinstance(v, Rule)]


@pytest.mark.parametrize("heading", list(LISTS))
def test_the_lists_are_what_the_guide_says(heading: str) -> None:
    assert rules.names(LISTS[heading]) == documented(heading)


def test_the_orders_that_matter() -> None:
    document = rules.names(RULES)
    assert document[0] == "openapi-version"
    assert document[-1] == "live-api-overrides"  # the live-API corrections plug in last
    assert document.index("schema-names") < document.index("schemas")
    assert document.index("schemas") < document.index("operations")  # pagination reads them
    assert document.index("error-bodies") < document.index("request-consts")
    assert document.index("operation-ids") < document.index("provenance")
    schema = rules.names(SCHEMA_RULES)
    assert schema[0] == "keywords"
    assert schema.index("enum-types") < schema.index("examples") < schema.index("mixed-types")
    operation = rules.names(OPERATION_RULES)
    assert operation[0] == "operation-id"
    assert operation[-2:] == ["pagination", "retry-class"]


def test_every_rule_has_a_unique_name_and_says_what_it_does() -> None:
    every = [r for listed in LISTS.values() for r in listed]
    assert len({r.name for r in every}) == len(every)
    assert all(r.doc and re.fullmatch(r"[a-z]+(-[a-z]+)*", r.name) for r in every)


def test_every_module_contributes_rules_and_every_rule_is_listed() -> None:
    listed = {id(r) for rules_ in LISTS.values() for r in rules_}
    seen: set[int] = set()
    for module in modules():
        own = [r for r in defined_rules(module) if r.apply.__module__ == module.__name__]
        if module.__name__ in SUPPORT or hasattr(module, "__path__"):
            assert own == [], f"{module.__name__} defines rules but is not a rule module"
            continue
        assert own, f"{module.__name__} contributes no rule"
        for rule in own:
            assert id(rule) in listed, f"{module.__name__}: rule {rule.name!r} is in no list"
            seen.add(id(rule))
    assert seen == listed  # and every listed rule lives in a module of the package


def test_a_state_runs_the_package_lists_by_default() -> None:
    state = State({})
    assert state.schema_rules is SCHEMA_RULES
    assert state.operation_rules is OPERATION_RULES
