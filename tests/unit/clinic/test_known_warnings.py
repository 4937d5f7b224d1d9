"""Known third-party deprecations are hidden at start-up; anything else still shows."""

from __future__ import annotations

import re
import warnings

import pytest
from pyparsing import PyparsingDeprecationWarning

from clinic import known_warnings

# What each known warning looked like on `make run` before it was hidden: the
# module that triggered it, its category and its message.
SEEN_AT_START_UP = [
    (
        "rasa.core.tracker_store",
        DeprecationWarning,
        "Deprecated API features detected! These feature(s) are not compatible with "
        "SQLAlchemy 2.0. To prevent incompatible upgrades prior to updating applications, "
        'ensure requirements files are pinned to "sqlalchemy<2.0".',
    ),
    (
        "rasa.core.tracker_store",
        DeprecationWarning,
        "Calling URL() directly is deprecated and will be disabled in a future release.",
    ),
    (
        "rasa.shared.utils.validation",
        DeprecationWarning,
        "pkg_resources is deprecated as an API. See https://setuptools.pypa.io/",
    ),
    (
        "spacy.cli.info",
        DeprecationWarning,
        "pkg_resources is deprecated as an API. See https://setuptools.pypa.io/",
    ),
    (
        "pkg_resources",
        DeprecationWarning,
        "Deprecated call to `pkg_resources.declare_namespace('mpl_toolkits')`.\n"
        "Implementing implicit namespace packages (as specified in PEP 420) is preferred",
    ),
    (
        "sanic_cors.extension",
        DeprecationWarning,
        "distutils Version classes are deprecated. Use packaging.version instead.",
    ),
    (
        "matplotlib.fontconfig_pattern",
        PyparsingDeprecationWarning,
        "'setParseAction' deprecated - use 'set_parse_action'",
    ),
    (
        "packaging.requirements",
        PyparsingDeprecationWarning,
        "'originalTextFor' deprecated - use 'original_text_for'",
    ),
    (
        "typer",
        DeprecationWarning,
        "'click.utils.get_binary_stream' is deprecated and will be removed in Click 9.0.",
    ),
    (
        "spacy.cli._util",
        DeprecationWarning,
        "Importing 'parser.split_arg_string' is deprecated, it will only be available in "
        "'shell_completion' in Click 9.0.",
    ),
    (
        "tensorflow.lite.python.util",
        DeprecationWarning,
        "jax.xla_computation is deprecated. Please use the AOT APIs.",
    ),
]


def _shown(module: str, category: type[Warning], message: str) -> list[str]:
    """The warnings that show when `module` warns, after `quiet()`, with everything else on."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # as Sanic's and Rasa's filters make them
        known_warnings.quiet()
        warnings.warn_explicit(message, category, f"{module}.py", 1, module=module)
    return [str(warning.message) for warning in caught]


@pytest.mark.parametrize(("module", "category", "message"), SEEN_AT_START_UP)
def test_a_known_deprecation_is_hidden(module: str, category: type[Warning], message: str) -> None:
    assert _shown(module, category, message) == []


@pytest.mark.parametrize(
    ("module", "category", "message"),
    [
        # The project's own code calling a deprecated API: it must be fixed, not hidden.
        ("clinic.tracker_db", DeprecationWarning, "pkg_resources is deprecated as an API."),
        ("staff.db", DeprecationWarning, "Calling URL() directly is deprecated"),
        # A new deprecation in a module that has a known one.
        ("rasa.core.tracker_store", DeprecationWarning, "The `foo` argument is deprecated."),
        # Not a deprecation.
        ("rasa.core.tracker_store", UserWarning, "Calling URL() directly is deprecated"),
        ("sanic_cors.extension", RuntimeWarning, "distutils Version classes are deprecated."),
    ],
)
def test_anything_not_listed_still_shows(
    module: str, category: type[Warning], message: str
) -> None:
    assert _shown(module, category, message) == [message]


def test_each_known_warning_says_why_it_is_harmless() -> None:
    for known in known_warnings.KNOWN_WARNINGS:
        assert known.module and known.message and len(known.reason) > 20, known
        assert issubclass(known.category, DeprecationWarning), "only deprecations are hidden"


def test_each_known_warning_was_seen_at_start_up() -> None:
    """No filter stays for a warning that is gone: each hides one of the lines above."""
    for known in known_warnings.KNOWN_WARNINGS:
        assert any(
            re.match(known.module, module) and re.match(known.message, message)
            for module, _, message in SEEN_AT_START_UP
        ), known
