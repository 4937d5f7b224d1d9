"""The action server starts light: no machine-learning library is imported by its code.

Each replica runs one; scikit-learn alone adds about 0.5 s to its start and
nearly doubles its memory (61 -> 119 MB measured), for nothing it computes.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "tensorflow", "spacy", "rasa.core", "rasa.nlu")


def test_importing_every_action_module_loads_no_machine_learning_library() -> None:
    probe = (
        "import importlib, pkgutil, sys, actions\n"
        "for module in pkgutil.walk_packages(actions.__path__, 'actions.'):\n"
        "    importlib.import_module(module.name)\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
