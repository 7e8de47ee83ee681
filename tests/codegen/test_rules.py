"""scripts/codegen/: the rule runner and the helpers defined once (common, schema_keywords)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import codegen
from codegen import changes, common, gen_fake, naming, normalize, rules, schema_keywords


def test_run_applies_rules_in_order_and_names_lists_them() -> None:
    seen: list[str] = []

    def step(name: str) -> rules.Rule[list[str]]:
        return rules.Rule(name, lambda s: s.append(name))

    pipeline = [step(n) for n in ("a", "b", "c")]
    assert rules.run(pipeline, seen) == ["a", "b", "c"]
    assert rules.names(pipeline) == ["a", "b", "c"]


def test_shared_helpers_are_defined_once() -> None:
    assert changes.HTTP_METHODS is common.HTTP_METHODS
    assert normalize.HTTP_METHODS is common.HTTP_METHODS
    assert naming.snake is common.snake
    assert naming.operations is common.operations
    assert common.snake("listWorkspaceMember") == "list_workspace_member"
    assert common.snake("APIKey") == "api_key"
    d = {"paths": {"/a": {"get": {"operationId": "x"}, "parameters": [], "post": {}}}}
    assert [(p, m) for p, m, _ in common.operations(d)] == [("/a", "get"), ("/a", "post")]


def codegen_modules() -> list[ModuleType]:
    found = pkgutil.walk_packages(codegen.__path__, prefix="codegen.")
    return [importlib.import_module(info.name) for info in found]


def test_schema_keyword_lists_are_defined_once() -> None:
    shared = {
        name: value
        for name, value in vars(schema_keywords).items()
        if isinstance(value, (tuple, frozenset))
    }
    repeated = []
    for module in codegen_modules():
        if module is schema_keywords:
            continue
        for name, value in vars(module).items():
            if not isinstance(value, (tuple, frozenset)) or not value:
                continue
            for keyword_list, listed in shared.items():
                try:
                    same = set(value) == set(listed)
                except TypeError:  # a tuple of unhashable things: no keyword list
                    same = False
                if same and value is not listed:
                    repeated.append(f"{module.__name__}.{name} (schema_keywords.{keyword_list})")
    assert repeated == []
    # the fake walks every subschema the normalizer can leave: validation-only ones too
    assert gen_fake.SUBSCHEMA == {
        *schema_keywords.SCHEMA_ONE,
        *schema_keywords.VALIDATION_SUBSCHEMA,
        "x-validation",
    }
    assert set(schema_keywords.VALIDATION_SUBSCHEMA) < set(schema_keywords.VALIDATION_ONLY)
    assert not schema_keywords.PLAIN & schema_keywords.DROPPED


def test_gen_fake_trims_validation_subschemas_and_keeps_boolean_additional_properties() -> None:
    schema = {
        "type": "object",
        "description": "dropped",
        "additionalProperties": False,
        "properties": {"a": {"type": "string", "title": "dropped"}},
        "x-validation": {"not": {"required": ["a"], "description": "dropped"}},
        "anyOf": [{"$ref": "#/components/schemas/A", "description": "dropped"}],
    }
    assert gen_fake.trim(schema) == {
        "type": "object",
        "additionalProperties": False,
        "properties": {"a": {"type": "string"}},
        "x-validation": {"not": {"required": ["a"]}},
        "anyOf": [{"$ref": "A"}],
    }
