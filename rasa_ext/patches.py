"""Every change this project makes to Rasa's own code, and every private name it relies on.

Rasa 3.6 offers no hook for some of what this bot needs, so a few of its
methods are replaced, and a few subclasses here override or call private
methods. All of it is listed below, each with its reason, and applied by
`install()` at one explicit point: `python -m rasa_ext` (the project's `rasa`
command: rasa_ext/__main__.py), before Rasa loads anything. `install()`
refuses to go on with a clear message when Rasa, rasa-sdk or python-socketio
is not the version these patches were written and tested against, or when a
private name they need has gone. tests/unit/rasa_ext/test_patches.py checks
each patch's name exists and that the patch changes what Rasa does;
tests/unit/rasa_ext/test_private_names.py checks that every private name of
Rasa's used anywhere in rasa_ext/ is listed here.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType
from typing import Any

import rasa.utils.common as rasa_common
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExtractSlots, ActionSessionStart, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.lock_store import LockStore
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import Policy
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)

from clinic import known_warnings
from clinic.privacy import log_filter
from rasa_ext import action_timeout, paused, session_start
from rasa_ext.channels.health import MONITOR

# The versions every patch and private name below was read from and tested on.
PINNED_VERSIONS = {"rasa": "3.6.21", "rasa-sdk": "3.6.2", "python-socketio": "5.9.0"}


class IncompatibleRasa(RuntimeError):
    """Rasa (or a package it talks to) is not the version the patches were written for."""


@dataclass(frozen=True)
class PrivateName:
    """A private attribute of a Rasa class or module that this project overrides or uses."""

    owner: type | ModuleType
    name: str
    reason: str


@dataclass(frozen=True)
class Patch(PrivateName):
    """A method of Rasa's replaced at start-up: `replacement(original)` is the new one."""

    replacement: Callable[[Any], Any]


# --- The replacements -------------------------------------------------------


@cache
def reply_validator() -> Any:
    """The validator `jsonschema.validate` would build for Rasa's reply schema, built once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _check_reply_once(original: Callable[..., bool]) -> Callable[..., bool]:
    def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
        if reply_validator().is_valid(result):
            return True
        return bool(original(action, result))  # raises ValidationError with Rasa's message

    return validate_action_result


def _report_fallbacks(original: Callable[..., None]) -> Callable[..., None]:
    def __init__(self: FailSafeTrackerStore, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self._on_tracker_store_error is None:
            self._on_tracker_store_error = MONITOR.on_error

    return __init__


# Responses that Rasa's validator (run by `rasa train` and `rasa data validate`)
# calls "not used in any story or rule" because no story or rule names them,
# though the bot sends them: forms ask `utter_ask_<slot>`, the detail reader
# answers `utter_detail_<topic>_<detail>` (content/details.yml), and actions
# and channels send the callback and handoff responses and the privacy notice.
# tests/unit/rasa_ext/test_quieted_warnings.py checks that each response this
# matches is really sent that way, so a response nobody sends still warns.
SENT_WITHOUT_A_RULE = (
    r"utter_(ask_\w+|detail_\w+|callback_\w+|handoff_\w+|request_human|privacy_notice)"
)

# Rasa warnings that this project's design makes noise: quieted in every Rasa command.
QUIETED_WARNINGS = (
    # Every `/faq/<topic>` button; rasa_ext/nlu/answer_guard.py resolves them.
    r"Failed to parse arguments in line '/faq/",
    # A ResponseSelector is expected with retrieval intents; the classifier chooses answers.
    r"You have defined training data with examples for training a response",
    # Rasa adds the retrieval intent of data/nlu/faq.yml to a domain that already lists it,
    # as Rasa's docs say to, then warns that the two lists share it.
    r"The following duplicated intents have been found across multiple domain files: faq$",
    # Answers to the planner's questions: the form reads them, no rule needs to.
    r"The intent 'inform' is not used in any story or rule\.$",
    rf"The utterance '{SENT_WITHOUT_A_RULE}' is not used in any story or rule\.$",
)


def quiet_rasa_warnings() -> None:
    """Hide the warnings in `QUIETED_WARNINGS`, in front of every other warnings filter."""
    for message in QUIETED_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=UserWarning)


def _quiet_after_rasa(original: Callable[..., None]) -> Callable[..., None]:
    def _filter_warnings(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        known_warnings.quiet()
        quiet_rasa_warnings()

    return _filter_warnings


PATCHES = (
    Patch(
        RemoteAction,
        "_validate_action_result",
        "jsonschema.validate() re-checks Rasa's constant reply schema on every action-server "
        "reply; check against a validator built once (a failing reply still gets Rasa's check)",
        _check_reply_once,
    ),
    Patch(
        RemoteAction,
        "run",
        "Rasa waits 300 s for a custom action and then drops its events in silence; bound the "
        "wait and tell the visitor planning is unavailable (rasa_ext/action_timeout.py)",
        action_timeout.guard_remote_run,
    ),
    Patch(
        FormAction,
        "run",
        "a form whose validation fails on the action server is left half-run; end it with the "
        "same message, once (rasa_ext/action_timeout.py)",
        action_timeout.guard_form_run,
    ),
    Patch(
        ActionSessionStart,
        "run",
        "Rasa has no hook for a message at the start of every conversation; add the privacy "
        "notice to the session start's events, in the Rasa server (rasa_ext/session_start.py)",
        session_start.with_privacy_notice,
    ),
    Patch(
        ActionExtractSlots,
        "run",
        "a paused conversation (a person has it) still has its slots extracted, which can fill "
        "the planner from the staff chat or send messages; extract nothing while paused "
        "(rasa_ext/paused.py)",
        paused.silent_while_paused,
    ),
    Patch(
        FailSafeTrackerStore,
        "__init__",
        "Rasa's fail-safe falls back to memory in silence; count and log each fallback for "
        "the health check (rasa_ext/channels/health.py)",
        _report_fallbacks,
    ),
    Patch(
        rasa_common,
        "_filter_warnings",
        "every Rasa command puts `once` for every UserWarning in front of all warnings "
        "filters, which hid QUIETED_WARNINGS above and the known third-party warnings "
        "that are UserWarnings too (clinic/known_warnings.py) behind it; put them back in front",
        _quiet_after_rasa,
    ),
)

PRIVATE_NAMES = (
    PrivateName(
        FailSafeTrackerStore,
        "_on_tracker_store_error",
        "set by the fail-safe patch above",
    ),
    PrivateName(
        FailSafeTrackerStore,
        "_tracker_store",
        "the health check queries the real store's database behind the fail-safe",
    ),
    PrivateName(
        FailSafeTrackerStore,
        "_fallback_tracker_store",
        "the health check reports whether the fail-safe has fallen back to memory",
    ),
    PrivateName(
        LogisticRegressionClassifier,
        "_model_storage",
        "rasa_ext/nlu/classifier.py saves its weights where Rasa's classifier saves its own",
    ),
    PrivateName(
        LogisticRegressionClassifier,
        "_resource",
        "rasa_ext/nlu/classifier.py saves its weights where Rasa's classifier saves its own",
    ),
    PrivateName(
        LogisticRegressionClassifier,
        "_create_X",
        "rasa_ext/nlu/classifier.py builds the same feature matrix without the token rows",
    ),
    PrivateName(
        LogisticRegressionClassifier,
        "_create_training_matrix",
        "rasa_ext/nlu/classifier.py trains on `faq/<topic>` labels beside the intents",
    ),
    PrivateName(
        CountVectorsFeaturizer,
        "_get_processed_message_tokens_by_attribute",
        "rasa_ext/nlu/featurizer.py counts the same tokens Rasa's featurizer counts",
    ),
    PrivateName(
        CountVectorsFeaturizer,
        "_get_attribute_vocabulary",
        "rasa_ext/nlu/featurizer.py skips an untrained featurizer as Rasa's does",
    ),
    PrivateName(
        CountVectorsFeaturizer,
        "_attributes_for",
        "rasa_ext/nlu/featurizer.py trains on the text alone",
    ),
    PrivateName(
        SQLTrackerStore,
        "_event_query",
        "rasa_ext/stores/tracker_store.py loads a conversation's events as Rasa does",
    ),
    PrivateName(
        SQLTrackerStore,
        "_additional_events",
        "rasa_ext/stores/tracker_store.py saves trackers it did not serve as Rasa does",
    ),
    PrivateName(
        SQLTrackerStore,
        "_stream_new_events",
        "rasa_ext/stores/tracker_store.py publishes the events it saved as Rasa's stores do",
    ),
    PrivateName(
        LockStore,
        "_acquire_lock",
        "rasa_ext/stores/lock_store.py waits for its ticket with one atomic Redis script",
    ),
    PrivateName(
        LockStore,
        "_log_deletion",
        "rasa_ext/stores/lock_store.py logs a deleted lock as Rasa does",
    ),
    PrivateName(
        TemplatedNaturalLanguageGenerator,
        "_response_variables",
        "rasa_ext/nlg.py adds the clinic's details to every response's variables",
    ),
    PrivateName(
        Policy,
        "_default_predictions",
        "rasa_ext/policy.py starts each prediction from Rasa's all-zero probabilities",
    ),
    PrivateName(
        Policy,
        "_prediction",
        "rasa_ext/policy.py hands its probabilities to Rasa as Rasa's own policies do",
    ),
    PrivateName(
        Policy,
        "_resource",
        "rasa_ext/policy.py learns nothing and returns the resource Rasa gave it",
    ),
)

_installed = False


def installed_version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def check_versions(pinned: dict[str, str] = PINNED_VERSIONS) -> None:
    """Refuse to start on versions the patches were not written for."""
    wrong = {
        package: installed_version(package)
        for package, wanted in pinned.items()
        if installed_version(package) != wanted
    }
    if wrong:
        found = ", ".join(f"{package} {found or 'missing'}" for package, found in wrong.items())
        wanted = ", ".join(f"{package}=={pinned[package]}" for package in wrong)
        raise IncompatibleRasa(
            f"This bot patches Rasa and needs {wanted}, but found {found}. Install the pinned "
            "versions (make setup), or re-read rasa_ext/patches.py against the new version "
            "and update PINNED_VERSIONS."
        )


def _is_rasas(module_name: str) -> bool:
    return module_name == "rasa" or module_name.startswith("rasa.")


@cache
def set_on_instances(klass: type) -> frozenset[str]:
    """Attributes that the code of Rasa's class `klass` itself sets on `self`.

    Some private names (`Policy._resource`) exist only on an object; reading
    the class's source finds them without building one.
    """
    if not _is_rasas(klass.__module__):
        return frozenset()
    try:
        source = textwrap.dedent(inspect.getsource(klass))
    except (OSError, TypeError):  # no source to read: the name counts as missing
        return frozenset()
    return frozenset(
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    )


def rasa_defines(owner: type | ModuleType, name: str) -> bool:
    """Whether Rasa's `owner` has `name`: on the class or module, or on its instances."""
    if hasattr(owner, name):
        return True
    return isinstance(owner, type) and any(name in set_on_instances(k) for k in owner.__mro__)


def missing_names() -> list[str]:
    """Patched or private names that this Rasa no longer has."""
    return [
        f"{listed.owner.__name__}.{listed.name}"
        for listed in (*PATCHES, *PRIVATE_NAMES)
        if not rasa_defines(listed.owner, listed.name)
    ]


def install() -> None:
    """Check versions and names, then apply every patch once; idempotent."""
    global _installed
    if _installed:
        return
    check_versions()
    missing = missing_names()
    if missing:
        raise IncompatibleRasa(
            "Rasa no longer has " + ", ".join(missing) + ": re-read rasa_ext/patches.py."
        )
    for patch in PATCHES:
        original = getattr(patch.owner, patch.name)
        setattr(patch.owner, patch.name, patch.replacement(original))
    quiet_rasa_warnings()
    log_filter.install()
    _installed = True


def require_installed(component: str) -> None:
    """Stop with a clear message when Rasa was started without `install()`."""
    if not _installed:
        raise IncompatibleRasa(
            f"{component} needs the patches in rasa_ext/patches.py: start Rasa with "
            "`python -m rasa_ext …` (what `make run` does), not the plain `rasa` command."
        )
