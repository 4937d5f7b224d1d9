"""The house rules of the layout: no package importing one that imports it back, and
every package in the distribution.

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
