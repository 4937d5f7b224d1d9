"""Every private name of Rasa's that rasa_ext/ touches is listed in rasa_ext/patches.py.

The rule. Each module of rasa_ext/ is read with `ast` for the single-underscore
names it uses: attributes read, written or called (`x._name`, and
`getattr`/`hasattr`/`setattr`/`delattr(x, "_name")`), methods and class
attributes defined in a class body (overrides), and `from rasa… import _name`
(or a private module on the path). A name is Rasa's when one of the Rasa
objects the receiver may be defines it:

- `self`, `cls` or `super()` inside a class: the Rasa classes in its MRO;
- a parameter annotated with a class (`self: FailSafeTrackerStore`): that
  class's Rasa MRO;
- a name or dotted name bound to a class, module or object: its Rasa MRO;
- anything else (a local such as `store`): every Rasa class rasa_ext/ names.

"Defines" is `rasa_ext.patches.rasa_defines`: `hasattr` on the Rasa class or
module, or `self._name = …` in the source of a Rasa class in the MRO (instance
attributes such as `Policy._resource`). So `self._config` that a project
component on `GraphComponent` sets itself is the project's, while
`self._resource` in a `Policy` is Rasa's. Each of Rasa's names must be in
`PATCHES` or `PRIVATE_NAMES`, owned by one of the Rasa classes (or modules)
that define it, or a class related to one by inheritance.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from rasa_ext import patches
from tests.support.servers import ROOT

ACCESSORS = frozenset({"getattr", "hasattr", "setattr", "delattr"})


@dataclass(frozen=True)
class Use:
    """A private name of Rasa's used at `where`, and the Rasa objects that define it."""

    where: str
    name: str
    owners: tuple[object, ...]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_rasas(thing: object) -> bool:
    module = thing.__name__ if isinstance(thing, ModuleType) else getattr(thing, "__module__", "")
    return isinstance(module, str) and (module == "rasa" or module.startswith("rasa."))


def _rasa_side(thing: object) -> list[object]:
    """The Rasa module, or the Rasa classes in the MRO of a class or of an object's class."""
    if isinstance(thing, ModuleType):
        return [thing] if _is_rasas(thing) else []
    klass = thing if isinstance(thing, type) else type(thing)
    return [base for base in klass.__mro__ if _is_rasas(base)]


class _Scanner(ast.NodeVisitor):
    def __init__(self, module: ModuleType, label: str, universe: list[object]) -> None:
        self.namespace = vars(module)
        self.label = label
        self.universe = universe
        self.classes: list[type | None] = []
        self.annotated: list[dict[str, object]] = []
        self.uses: list[Use] = []

    def _record(self, node: ast.AST, name: str, candidates: Iterable[object]) -> None:
        owners = tuple(c for c in candidates if patches.rasa_defines(c, name))  # type: ignore[arg-type]
        if owners:
            self.uses.append(Use(f"{self.label}:{getattr(node, 'lineno', 0)}", name, owners))

    def _resolve(self, expr: ast.expr) -> object | None:
        """The object a name or dotted name stands for in the module, if it is known."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            expr = ast.parse(expr.value, mode="eval").body
        if isinstance(expr, ast.Name):
            return self.namespace.get(expr.id)
        if isinstance(expr, ast.Attribute):
            outer = self._resolve(expr.value)
            return getattr(outer, expr.attr, None) if outer is not None else None
        return None

    def _receiver(self, expr: ast.expr) -> list[object]:
        enclosing = self.classes[-1] if self.classes else None
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id == "super"
        ):
            return _rasa_side(enclosing) if enclosing is not None else self.universe
        if isinstance(expr, ast.Name):
            for scope in reversed(self.annotated):
                if expr.id in scope:
                    return _rasa_side(scope[expr.id])
            if expr.id in ("self", "cls") and enclosing is not None:
                return _rasa_side(enclosing)
        known = self._resolve(expr)
        return _rasa_side(known) if known is not None else self.universe

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer = self.classes[-1] if self.classes else None
        klass = getattr(outer, node.name, None) if outer else self.namespace.get(node.name)
        klass = klass if isinstance(klass, type) else None
        for statement in node.body:
            defined: list[str] = []
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                defined = [statement.name]
            elif isinstance(statement, ast.Assign | ast.AnnAssign):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                defined = [t.id for t in targets if isinstance(t, ast.Name)]
            for name in filter(_private, defined):
                self._record(statement, name, _rasa_side(klass) if klass else self.universe)
        self.classes.append(klass)
        self.generic_visit(node)
        self.classes.pop()

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        scope = {}
        for argument in arguments:
            annotation = self._resolve(argument.annotation) if argument.annotation else None
            if isinstance(annotation, type):
                scope[argument.arg] = annotation
        self.annotated.append(scope)
        self.generic_visit(node)
        self.annotated.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if _private(node.attr):
            self._record(node, node.attr, self._receiver(node.value))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        accessor = isinstance(node.func, ast.Name) and node.func.id in ACCESSORS
        if accessor and len(node.args) >= 2:
            name = node.args[1]
            if (
                isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and _private(name.value)
            ):
                self._record(node, name.value, self._receiver(node.args[0]))
        self.generic_visit(node)

    def _private_module_path(self, node: ast.AST, dotted: str) -> None:
        parts = dotted.split(".")
        for index, part in enumerate(parts[1:], start=1):
            if _private(part):
                parent = importlib.import_module(".".join(parts[:index]))
                self._record(node, part, _rasa_side(parent))
                return

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._private_module_path(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return
        self._private_module_path(node, node.module)
        module = importlib.import_module(node.module)
        for alias in node.names:
            if _private(alias.name):
                self._record(node, alias.name, _rasa_side(module))


def rasa_names_used(modules: Iterable[tuple[str, ModuleType, Path]]) -> list[Use]:
    """Every use of one of Rasa's private names in the given (label, module, source) triples."""
    modules = list(modules)
    universe: list[object] = []
    for _, module, _ in modules:
        for value in vars(module).values():
            if isinstance(value, type) and _is_rasas(value):
                universe += [base for base in _rasa_side(value) if base not in universe]
    uses: list[Use] = []
    for label, module, path in modules:
        scanner = _Scanner(module, label, universe)
        scanner.visit(ast.parse(path.read_text(encoding="utf-8")))
        uses += scanner.uses
    return uses


def _related(listed: object, owner: object) -> bool:
    if listed is owner:
        return True
    both_classes = isinstance(listed, type) and isinstance(owner, type)
    return both_classes and (issubclass(listed, owner) or issubclass(owner, listed))  # type: ignore[arg-type]


def unlisted(uses: Iterable[Use], listed: Iterable[patches.PrivateName]) -> list[str]:
    """The uses no listed name covers, as `where: name`."""
    listed = list(listed)
    return [
        f"{use.where}: {use.name}"
        for use in uses
        if not any(
            entry.name == use.name and any(_related(entry.owner, o) for o in use.owners)
            for entry in listed
        )
    ]


@cache
def uses_in_rasa_ext() -> tuple[Use, ...]:
    def modules() -> Iterator[tuple[str, ModuleType, Path]]:
        for path in sorted((ROOT / "rasa_ext").rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            yield str(path.relative_to(ROOT)), importlib.import_module(".".join(parts)), path

    return tuple(rasa_names_used(modules()))


LISTED = (*patches.PATCHES, *patches.PRIVATE_NAMES)


def test_every_private_name_of_rasas_used_in_rasa_ext_is_listed_in_patches() -> None:
    assert unlisted(uses_in_rasa_ext(), LISTED) == []


def test_the_scan_finds_the_names_the_issue_named() -> None:
    found = {use.name for use in uses_in_rasa_ext()}
    assert {
        "_stream_new_events",
        "_default_predictions",
        "_prediction",
        "_model_storage",
        "_resource",
    } <= found


@pytest.mark.parametrize(
    "entry", patches.PRIVATE_NAMES, ids=lambda e: f"{e.owner.__name__}.{e.name}"
)
def test_taking_a_name_off_the_list_fails_the_scan(entry: patches.PrivateName) -> None:
    """Every listed private name is still used, and the scan notices it missing."""
    without = [listed for listed in LISTED if listed is not entry]
    reported = unlisted(uses_in_rasa_ext(), without)
    assert reported and all(line.endswith(f": {entry.name}") for line in reported)


SAMPLE = """
from rasa.core.policies.policy import Policy
from rasa.core.tracker_store import _create_from_endpoint_config
from rasa.engine.graph import GraphComponent


class Own(GraphComponent):
    def __init__(self, config):
        self._config = config  # the project's: GraphComponent has no _config

    def _read(self):
        return self._config


class Learns(Policy):
    def train(self, *args):
        return self._resource  # Rasa's: Policy.__init__ sets it


def helper(store):
    return getattr(store, "_model_storage", None)  # unknown receiver: any Rasa class named
"""


def test_the_projects_own_private_names_are_told_from_rasas(tmp_path: Path) -> None:
    path = tmp_path / "sample_component.py"
    path.write_text(SAMPLE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("sample_component", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    uses = rasa_names_used([("sample", module, path)])

    assert sorted(use.name for use in uses) == [
        "_create_from_endpoint_config",
        "_model_storage",
        "_resource",
    ]
    from rasa.core import tracker_store
    from rasa.core.policies.policy import Policy

    listed = [
        patches.PrivateName(tracker_store, "_create_from_endpoint_config", "a module's name"),
        patches.PrivateName(Policy, "_resource", "an instance attribute"),
        patches.PrivateName(Policy, "_model_storage", "an instance attribute"),
    ]
    assert unlisted(uses, listed) == []
    assert unlisted(uses, listed[1:]) == ["sample:3: _create_from_endpoint_config"]
