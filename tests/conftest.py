"""Every suite: pytest hides the third-party deprecations that each process hides at start-up.

pytest shows every DeprecationWarning (its own filter stands in front of the
processes'), so the list in clinic/known_warnings.py is added to its
`filterwarnings`; anything else, the project's own code first, still shows.
Sanic 21.12 puts `once` for every DeprecationWarning in front of all filters
when it is first imported: importing it here, before any test module, keeps
pytest's filters in front of it.
"""

from __future__ import annotations

import pytest
import sanic.app  # noqa: F401  (see above)

from clinic.known_warnings import KNOWN_WARNINGS


def pytest_configure(config: pytest.Config) -> None:
    for known in KNOWN_WARNINGS:
        category = f"{known.category.__module__}.{known.category.__qualname__}"
        config.addinivalue_line(
            "filterwarnings", f"ignore:{known.message}:{category}:{known.module}"
        )
