"""Third-party deprecation warnings known to be harmless here, hidden at each process's start.

The pinned Rasa 3.6 stack imports libraries that newer neighbours deprecate
(pkg_resources, SQLAlchemy's 1.x API, pyparsing's camelCase names, Click 8.2's
moved names, distutils, jax), and Sanic 21.12 turns every DeprecationWarning on
once `sanic.app` is imported. On `make run` that was about fifty lines of
warnings nobody can act on without upgrading Rasa, around the lines that say
where to talk to the bot.

`quiet()` hides exactly the warnings listed below, each by category, the module
that triggers it and its message, with the reason it is harmless. Anything not
listed (a new deprecation, a warning from the project's own code, every error)
still shows. The Rasa server (`python -m rasa_ext`), the action server and the
web app call it first; Rasa's own warnings about this project's data are in
rasa_ext/patches.py (`QUIETED_WARNINGS`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownWarning:
    """A warning to hide: `warnings.filterwarnings` arguments (regular expressions) and why."""

    module: str
    message: str
    reason: str
    category: type[Warning] = DeprecationWarning


KNOWN_WARNINGS = (
    KnownWarning(
        r"rasa\.core\.tracker_store",
        r"Deprecated API features detected! These feature\(s\) are not compatible with "
        "SQLAlchemy 2.0",
        "Rasa 3.6's SQL tracker store is written for SQLAlchemy 1.4, which the constraints pin",
    ),
    KnownWarning(
        r"rasa\.core\.tracker_store",
        r"Calling URL\(\) directly is deprecated",
        "Rasa 3.6 builds its database URL the SQLAlchemy 1.3 way; 1.4 (pinned) still accepts it",
    ),
    KnownWarning(
        r"(rasa|spacy)\.",
        r"pkg_resources is deprecated as an API",
        "Rasa 3.6 and spaCy 3.4 import pkg_resources (whichever comes first is named); "
        "setuptools is pinned to a version that has it",
    ),
    KnownWarning(
        r"pkg_resources",
        r"Deprecated call to `pkg_resources\.declare_namespace\('(mpl_toolkits|ruamel)'\)`",
        "matplotlib's and ruamel.yaml's old namespace packages, imported through Rasa",
    ),
    KnownWarning(
        r"sanic_cors\.extension",
        r"distutils Version classes are deprecated",
        "sanic-cors (Rasa's and rasa-sdk's CORS) compares Sanic versions with distutils",
    ),
    KnownWarning(
        r"(matplotlib|packaging)\.",
        r"'\w+' deprecated - use '\w+'",
        "matplotlib 3.5 and packaging 20 call pyparsing 2 names that pyparsing 3.1+ deprecates",
    ),
    KnownWarning(
        r"(typer|spacy)(\.|$)",
        r".*\bClick 9\.0",
        "typer 0.9 and spaCy's CLI import names that Click 8.2 moved; they stay until Click 9",
    ),
    KnownWarning(
        r"tensorflow\.lite\.python\.util",
        r"jax\.xla_computation is deprecated",
        "TensorFlow 2.12 (Rasa's) imports an old jax name when jax is installed beside it",
    ),
)


def quiet(known: tuple[KnownWarning, ...] = KNOWN_WARNINGS) -> None:
    """Hide the known warnings; call at a process's start, before Rasa or rasa-sdk is imported.

    Sanic 21.12 puts `once` for every DeprecationWarning in front of all filters
    when `sanic.app` is first imported, which would hide these filters behind
    it; importing it first keeps them in front.
    """
    import sanic.app  # noqa: F401  (see above: its filter must come before these)

    for warning in known:
        warnings.filterwarnings(
            "ignore", message=warning.message, category=warning.category, module=warning.module
        )
