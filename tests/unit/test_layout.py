"""The house rules of the layout.

- No package imports one that imports it back.
- Every package, and the files it reads beside itself, is in the distribution.
- No module reaches into another module's underscore names: a module's public
  names are its interface, and a neighbour that needs its `_private` helpers
  shows the cut is in the wrong place.

(A cap on file length used to stand here; it split files by size rather than
by concern, so it went: issue 24.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import tomli
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("clinic", "rasa_ext", "actions", "staff", "web", "bench")


def _sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(PACKAGES)


def test_no_package_imports_one_that_imports_it_back() -> None:
    uses = {package: set() for package in PACKAGES}
    for path in _sources():
        package = path.relative_to(ROOT).parts[0]
        uses[package] |= _imported_packages(path) - {package}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            used == goal or (used not in seen and reaches(used, goal, seen | {used}))
            for used in uses[start]
        )

    circles = sorted(package for package in PACKAGES if reaches(package, package, {package}))
    assert circles == [], {package: sorted(uses[package]) for package in circles}
    assert uses["clinic"] == set(), "the core imports no other package of the project"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _dotted(node: ast.expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None for anything but names and attributes."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute) and (head := _dotted(node.value)) is not None:
        return [*head, node.attr]
    return None


def _private_uses(source: str, here: str, package: str, modules: set[str]) -> list[str]:
    """Each `line: module._name` where module `here` uses another module's underscore name.

    Both `from module import _name` and `module._name` (after `import module`,
    `import module as alias` or `from package import module`) count.
    """
    tree = ast.parse(source)
    bound: dict[str, str] = {}  # a name in this module → the dotted name it stands for
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head = alias.name.split(".")[0]
                bound[alias.asname or head] = alias.name if alias.asname else head
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: package.count(".") + 2 - node.level]
            relative = ".".join([*base, *([node.module] if node.module else [])])
            source_module = relative if node.level else node.module or ""
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{source_module}.{alias.name}"
                if source_module in modules - {here} and _is_private(alias.name):
                    found.append(f"{node.lineno}: {source_module}.{alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            names = _dotted(node.value)
            if names and names[0] in bound:
                module = ".".join([bound[names[0]], *names[1:]])
                if module in modules - {here}:
                    found.append(f"{node.lineno}: {module}.{node.attr}")
    return found


def _private_uses_in(path: Path, modules: set[str]) -> list[str]:
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    source = path.read_text(encoding="utf-8")
    return [
        f"{path.relative_to(ROOT)}:{use}" for use in _private_uses(source, here, package, modules)
    ]


def test_no_module_uses_another_modules_private_names() -> None:
    sources = _sources()
    modules = {_module_name(path) for path in sources}
    used = [use for path in sources for use in _private_uses_in(path, modules)]
    assert used == [], "make the name public, or move the code that needs it:\n" + "\n".join(used)


def test_the_private_name_check_sees_imports_and_attributes() -> None:
    modules = {"shop", "shop.prices", "shop.tills", "shop.tills.cash"}
    source = """
import shop.prices
import shop.prices as costs
from shop import prices
from shop.prices import _tax, round_up, __version__
from . import cash
from .cash import _float
from .. import prices as relative

shop.prices._rate + costs._rate + prices._rate + relative._rate + cash._drawer
prices.round_up + self._own + _tax.__class__ + cash.__name__
"""
    used = _private_uses(source, "shop.tills.card", "shop.tills", modules)
    assert sorted(used) == [
        "10: shop.prices._rate",
        "10: shop.prices._rate",
        "10: shop.prices._rate",
        "10: shop.prices._rate",
        "10: shop.tills.cash._drawer",
        "5: shop.prices._tax",
        "7: shop.tills.cash._float",
    ]


def test_every_package_and_its_files_are_in_the_distribution() -> None:
    """pyproject.toml once left `staff` and `bench` out, and the console's templates."""
    setuptools = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    packaged = set(find_packages(str(ROOT), include=setuptools["packages"]["find"]["include"]))
    assert set(PACKAGES) <= packaged
    data = setuptools["package-data"]
    for package, folder in [("staff", "templates"), ("staff", "static"), ("web", "templates")]:
        files = {p for p in (ROOT / package / folder).iterdir() if p.is_file()}
        matched = {p for glob in data.get(package, []) for p in (ROOT / package).glob(glob)}
        assert files <= matched, f"{package}/{folder} is missing from package-data"
