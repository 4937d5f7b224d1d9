"""What the deploy/ tests read: the files' paths, the charts' keys, and small parsers."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from tests.support.servers import ROOT

DEPLOY = ROOT / "deploy"
ENDPOINTS_PRODUCTION = ROOT / "endpoints.production.yml"
COMPOSE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / ".env.example"
HELM_VALUES = DEPLOY / "helm" / "values.yml"
ACTION_SERVER_VALUES = DEPLOY / "helm" / "action-server-values.yml"
RASA_DOCKERFILE = DEPLOY / "rasa.Dockerfile"
ACTIONS_DOCKERFILE = DEPLOY / "actions.Dockerfile"
WEB_DOCKERFILE = DEPLOY / "web.Dockerfile"
DOCKERFILES = [RASA_DOCKERFILE, ACTIONS_DOCKERFILE, WEB_DOCKERFILE]

# The chart cannot be downloaded in CI, so its keys are vendored here.
# Read from github.com/RasaHQ/helm-charts at commit
# 94fba4b4a18b2ca79b1e90783f244c3f4901273e (Aug 2025): charts/rasa/values.yaml
# (chart `rasa` 1.17.8, appVersion 3.2.6) and charts/rasa-action-server/values.yaml
# (chart 1.0.9). Both charts share most top-level keys.
CHART_COMMON_TOP_LEVEL_KEYS = frozenset(
    {
        "nameOverride",
        "fullnameOverride",
        "registry",
        "applicationSettings",
        "replicaCount",
        "hostAliases",
        "args",
        "command",
        "extraEnv",
        "image",
        "serviceAccount",
        "podAnnotations",
        "podLabels",
        "deploymentAnnotations",
        "deploymentLabels",
        "podSecurityContext",
        "securityContext",
        "service",
        "ingress",
        "resources",
        "autoscaling",
        "nodeSelector",
        "tolerations",
        "affinity",
        "strategy",
        "livenessProbe",
        "readinessProbe",
        "initContainers",
        "volumes",
        "volumeMounts",
    }
)
RASA_CHART_TOP_LEVEL_KEYS = CHART_COMMON_TOP_LEVEL_KEYS | {
    "networkPolicy",
    "extraArgs",
    "extraContainers",
    "global",
    "postgresql",
    "redis",
    "rabbitmq",
    "nginx",
    "rasa-action-server",
    "duckling",
}
# Same file: the keys under `applicationSettings` and `applicationSettings.endpoints`.
RASA_CHART_APPLICATION_SETTINGS_KEYS = frozenset(
    {
        "debugMode",
        "initialModel",
        "trainInitialModel",
        "port",
        "scheme",
        "token",
        "cors",
        "enableAPI",
        "credentials",
        "telemetry",
        "endpoints",
        "rasaX",
    }
)
RASA_CHART_ENDPOINTS_KEYS = frozenset(
    {"models", "trackerStore", "lockStore", "eventBroker", "action", "additionalEndpoints"}
)
ACTION_SERVER_CHART_TOP_LEVEL_KEYS = CHART_COMMON_TOP_LEVEL_KEYS

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without the `${VAR}` resolver Rasa registers on PyYAML globally.

    Once any test imports Rasa, plain `yaml.safe_load` expands (or fails on)
    unset `${VAR}`s; these files must be read as written.
    """


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "!env_var"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader)


def string_values(node: Any) -> list[str]:
    """Every string value in a parsed YAML document (comments are already gone)."""
    if isinstance(node, dict):
        return [text for value in node.values() for text in string_values(value)]
    if isinstance(node, list):
        return [text for value in node for text in string_values(value)]
    return [node] if isinstance(node, str) else []


def placeholders(path: Path) -> set[str]:
    return {name for text in string_values(load_yaml(path)) for name in PLACEHOLDER.findall(text)}


def endpoint_variables() -> set[str]:
    return placeholders(ENDPOINTS_PRODUCTION)


def env_example_keys() -> set[str]:
    keys = set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            keys.add(line.split("=", 1)[0].strip())
    return keys


def service_environment(service: dict[str, Any]) -> dict[str, str | None]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        pairs = (item.split("=", 1) for item in environment)
        return {pair[0]: (pair[1] if len(pair) > 1 else None) for pair in pairs}
    return dict(environment)


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, rest = full.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def from_images(path: Path) -> list[str]:
    images = []
    for keyword, rest in dockerfile_instructions(path):
        if keyword == "FROM":
            words = [word for word in rest.split() if not word.startswith("--")]
            images.append(words[0])
    return images


def copy_sources(path: Path) -> list[str]:
    """Sources of every COPY/ADD that reads the build context (not `--from=` stages)."""
    sources = []
    for keyword, rest in dockerfile_instructions(path):
        if keyword not in {"COPY", "ADD"}:
            continue
        words = shlex.split(rest)
        if any(word.startswith("--from") for word in words):
            continue
        operands = [word for word in words if not word.startswith("--")]
        sources.extend(operands[:-1])
    return sources


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[re.sub(r"\[.*\]", "", name).strip().lower()] = version.strip()
    return found
