"""Static checks of deploy/: what can be verified without Docker or Kubernetes.

Nothing here builds an image or renders a chart. The tests check that the
files agree with each other and with the project: every variable the
production endpoints need reaches the Rasa container, the images are pinned
to the tested Rasa versions, every COPY source exists and is in the build
context, and the Helm values use only keys the RasaHQ charts define.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.cluster import nginx_binary

ROOT = Path(__file__).resolve().parents[2]
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


def dockerignore_allows(path: Path, source: str) -> bool:
    """Whether `source` is sent in the build context by the Dockerfile's ignore file.

    The ignore files in deploy/ are allowlists: `**` then `!path` lines.
    """
    ignore_file = path.with_name(path.name + ".dockerignore")
    allowed = [
        line[1:].strip().rstrip("/")
        for line in ignore_file.read_text(encoding="utf-8").splitlines()
        if line.startswith("!")
    ]
    wanted = source.rstrip("/")
    return any(
        wanted == pattern or wanted.startswith(pattern + "/") or fnmatch.fnmatch(wanted, pattern)
        for pattern in allowed
    )


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[re.sub(r"\[.*\]", "", name).strip().lower()] = version.strip()
    return found


def test_every_deploy_yaml_file_parses() -> None:
    for path in [
        COMPOSE,
        HELM_VALUES,
        ACTION_SERVER_VALUES,
    ]:
        assert isinstance(load_yaml(path), dict), f"{path.relative_to(ROOT)} is not a mapping"


def test_endpoints_production_uses_the_expected_variables() -> None:
    # Guards the next tests against a regex that silently finds nothing.
    assert {"ACTION_SERVER_URL", "DB_PASSWORD", "REDIS_HOST", "RABBITMQ_QUEUE"} <= (
        endpoint_variables()
    )


def test_rasa_service_in_compose_receives_every_endpoints_production_variable() -> None:
    rasa = load_yaml(COMPOSE)["services"]["rasa"]
    environment = service_environment(rasa)
    missing = sorted(endpoint_variables() - set(environment))
    assert not missing, f"docker-compose.yml rasa service lacks {missing}"


def test_env_example_lists_every_endpoints_production_variable() -> None:
    missing = sorted(endpoint_variables() - env_example_keys())
    assert not missing, f"deploy/.env.example lacks {missing}"


def test_env_example_holds_placeholders_not_secrets() -> None:
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if any(word in key for word in ("PASSWORD", "SECRET", "TOKEN")) and value:
            assert value.startswith("CHANGE_ME"), f"{key} in .env.example looks like a real secret"


def test_compose_variables_are_all_documented_in_env_example() -> None:
    used = {
        name
        for text in string_values(load_yaml(COMPOSE))
        for name in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text)
    }
    missing = sorted(used - env_example_keys())
    assert not missing, f"docker-compose.yml uses {missing}, not in .env.example"


def test_compose_runs_the_images_built_from_the_deploy_dockerfiles() -> None:
    services = load_yaml(COMPOSE)["services"]
    for name, dockerfile in [("rasa", RASA_DOCKERFILE), ("actions", ACTIONS_DOCKERFILE)]:
        build = services[name]["build"]
        context = (COMPOSE.parent / build["context"]).resolve()
        assert context == ROOT
        assert (context / build["dockerfile"]).resolve() == dockerfile


def test_compose_secrets_fail_loudly_when_unset() -> None:
    environment = service_environment(load_yaml(COMPOSE)["services"]["rasa"])
    for key in ("DB_PASSWORD", "REDIS_PASSWORD", "RABBITMQ_PASSWORD", "ACTION_SERVER_TOKEN"):
        assert str(environment[key]).startswith(f"${{{key}:?"), key


def test_helm_values_use_the_same_tracker_and_lock_store_types_as_production() -> None:
    production = load_yaml(ENDPOINTS_PRODUCTION)
    endpoints = load_yaml(HELM_VALUES)["applicationSettings"]["endpoints"]
    assert endpoints["trackerStore"]["enabled"] is True
    assert endpoints["trackerStore"]["type"] == production["tracker_store"]["type"]
    assert endpoints["trackerStore"]["dialect"] == production["tracker_store"]["dialect"]
    assert endpoints["lockStore"]["enabled"] is True
    assert endpoints["lockStore"]["type"] == production["lock_store"]["type"]
    assert endpoints["eventBroker"]["type"] == production["event_broker"]["type"]
    assert endpoints["eventBroker"]["exchange_name"] == "clinicbot"  # production-env.sh's default
    extra = endpoints["additionalEndpoints"]
    assert extra["nlg"] == production["nlg"]
    assert set(extra["action_endpoint"]["headers"]) == set(production["action_endpoint"]["headers"])


def test_helm_values_use_only_top_level_keys_of_the_rasa_chart() -> None:
    unknown = sorted(set(load_yaml(HELM_VALUES)) - RASA_CHART_TOP_LEVEL_KEYS)
    assert not unknown, f"not in the rasa chart's values.yaml: {unknown}"


def test_helm_application_settings_use_only_keys_of_the_rasa_chart() -> None:
    settings = load_yaml(HELM_VALUES)["applicationSettings"]
    unknown = sorted(set(settings) - RASA_CHART_APPLICATION_SETTINGS_KEYS)
    unknown += sorted(set(settings.get("endpoints", {})) - RASA_CHART_ENDPOINTS_KEYS)
    assert not unknown, f"not in the rasa chart's applicationSettings: {unknown}"


def test_action_server_values_use_only_top_level_keys_of_its_chart() -> None:
    unknown = sorted(set(load_yaml(ACTION_SERVER_VALUES)) - ACTION_SERVER_CHART_TOP_LEVEL_KEYS)
    assert not unknown, f"not in the rasa-action-server chart's values.yaml: {unknown}"


def test_helm_values_point_rasa_at_the_action_server_release() -> None:
    values = load_yaml(HELM_VALUES)
    action_values = load_yaml(ACTION_SERVER_VALUES)
    url = next(item["value"] for item in values["extraEnv"] if item["name"] == "ACTION_SERVER_URL")
    port = action_values["service"]["port"]
    assert url == f"http://{action_values['fullnameOverride']}:{port}/webhook"
    # The chart's own action_endpoint has no headers: it must stay off, or
    # Rasa would get two action_endpoint keys.
    assert values["rasa-action-server"]["install"] is False
    assert values["rasa-action-server"]["external"]["enabled"] is False


def test_helm_values_take_secrets_from_existing_kubernetes_secrets() -> None:
    values = load_yaml(HELM_VALUES)
    assert values["global"]["postgresql"]["existingSecret"]
    assert values["global"]["postgresql"]["postgresqlPassword"] == ""
    assert values["global"]["redis"]["password"] == ""
    assert values["redis"]["auth"]["password"] == ""
    assert values["rabbitmq"]["auth"]["existingPasswordSecret"]
    assert values["rabbitmq"]["auth"]["password"] == ""
    for item in values["extraEnv"] + load_yaml(ACTION_SERVER_VALUES)["extraEnv"]:
        if any(word in item["name"] for word in ("TOKEN", "SECRET", "KEY", "PASSWORD")):
            assert "secretKeyRef" in item.get("valueFrom", {}), item["name"]


def test_helm_values_serve_the_model_baked_into_the_image() -> None:
    values = load_yaml(HELM_VALUES)
    settings = values["applicationSettings"]
    # A non-empty initialModel makes the chart download a demo model into an
    # emptyDir over /app/models, hiding ours.
    assert settings["initialModel"] == ""
    assert settings["trainInitialModel"] is False
    assert settings["endpoints"]["models"]["enabled"] is False
    assert values["replicaCount"] == 2


def test_helm_and_compose_keep_the_rasa_http_api_off() -> None:
    values = load_yaml(HELM_VALUES)
    assert values["applicationSettings"]["enableAPI"] is False
    assert "--enable-api" not in values["args"]
    environment = service_environment(load_yaml(COMPOSE)["services"]["rasa"])
    assert environment["RASA_ENABLE_API"] == "${RASA_ENABLE_API:-false}"


def test_rasa_image_is_built_on_exactly_rasa_3_6_21_full() -> None:
    assert from_images(RASA_DOCKERFILE) == ["rasa/rasa:3.6.21-full"]


def test_action_server_image_is_built_on_exactly_rasa_sdk_3_6_2() -> None:
    assert from_images(ACTIONS_DOCKERFILE) == ["rasa/rasa-sdk:3.6.2"]


def test_base_images_match_the_versions_pinned_in_requirements() -> None:
    pinned = pins(ROOT / "requirements.in")
    assert from_images(RASA_DOCKERFILE)[-1] == f"rasa/rasa:{pinned['rasa']}-full"
    assert from_images(ACTIONS_DOCKERFILE)[-1] == f"rasa/rasa-sdk:{pinned['rasa-sdk']}"
    assert from_images(WEB_DOCKERFILE)[-1] == f"rasa/rasa-sdk:{pinned['rasa-sdk']}"


def test_every_base_image_has_an_explicit_tag() -> None:
    for dockerfile in DOCKERFILES:
        for image in from_images(dockerfile):
            assert ":" in image and not image.endswith(":latest"), f"{dockerfile.name}: {image}"


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.name)
def test_every_copy_source_exists_in_the_repository(dockerfile: Path) -> None:
    sources = copy_sources(dockerfile)
    assert sources, f"no COPY found in {dockerfile.name}"
    missing = [source for source in sources if not list(ROOT.glob(source.rstrip("/")))]
    assert not missing, f"{dockerfile.name} copies what the repository lacks: {missing}"


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.name)
def test_every_copy_source_is_in_the_build_context(dockerfile: Path) -> None:
    excluded = [
        source for source in copy_sources(dockerfile) if not dockerignore_allows(dockerfile, source)
    ]
    assert not excluded, f"{dockerfile.name}.dockerignore leaves out {excluded}"


def test_rasa_image_copies_what_config_and_endpoints_need() -> None:
    sources = {source.rstrip("/") for source in copy_sources(RASA_DOCKERFILE)}
    for needed in (
        "clinicbot",
        "config.yml",
        "domain.yml",
        "data",
        "clinic.yml",
        "endpoints.production.yml",
        "credentials.yml",
        "constraints.txt",
    ):
        assert needed in sources, needed


def test_rasa_image_builds_the_spacy_pipeline_config_yml_loads() -> None:
    model_path = next(
        item["model"]
        for item in load_yaml(ROOT / "config.yml")["pipeline"]
        if item["name"].endswith("SpacyNLP")
    )
    runs = [rest for keyword, rest in dockerfile_instructions(RASA_DOCKERFILE) if keyword == "RUN"]
    assert any(f"-m clinicbot.spacy_pipeline {model_path}" in run for run in runs)
    assert any("rasa train" in run for run in runs)


def test_rasa_image_default_command_uses_production_endpoints_without_api() -> None:
    cmd = next(
        rest for keyword, rest in dockerfile_instructions(RASA_DOCKERFILE) if keyword == "CMD"
    )
    arguments = json.loads(cmd)
    assert arguments[0] == "run"
    assert arguments[arguments.index("--endpoints") + 1] == "endpoints.production.yml"
    assert "--cors" in arguments
    assert "--enable-api" not in arguments


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.name)
def test_images_run_as_a_non_root_user(dockerfile: Path) -> None:
    users = [rest for keyword, rest in dockerfile_instructions(dockerfile) if keyword == "USER"]
    assert users, f"{dockerfile.name} never sets USER"
    assert users[-1] not in {"root", "0"}, f"{dockerfile.name} ends as root"


@pytest.mark.parametrize(
    ("requirements", "dockerfile"),
    [
        ("requirements-rasa.txt", RASA_DOCKERFILE),
        ("requirements-actions.txt", ACTIONS_DOCKERFILE),
        ("requirements-web.txt", WEB_DOCKERFILE),
    ],
)
def test_image_requirements_match_the_project_lock(requirements: str, dockerfile: Path) -> None:
    image_pins = pins(DEPLOY / requirements)
    assert image_pins, requirements
    locked = pins(ROOT / "constraints.txt")
    direct = pins(ROOT / "requirements.in")
    for name, version in image_pins.items():
        assert locked.get(name) == version, f"{requirements}: {name}=={version} vs constraints.txt"
        if name in direct:
            assert direct[name] == version, f"{requirements}: {name} vs requirements.in"
    runs = " ".join(
        rest for keyword, rest in dockerfile_instructions(dockerfile) if keyword == "RUN"
    )
    assert f"/tmp/deps/{requirements}" in runs and "-c /tmp/deps/constraints.txt" in runs


def test_action_server_image_installs_the_planner_libraries() -> None:
    assert {"dateparser", "icalendar"} <= set(pins(DEPLOY / "requirements-actions.txt"))


def test_custom_endpoint_classes_exist_in_the_modules_the_rasa_image_copies() -> None:
    production = load_yaml(ENDPOINTS_PRODUCTION)
    for section in ("tracker_store", "lock_store", "nlg"):
        module, _, class_name = production[section]["type"].rpartition(".")
        if not module.startswith("clinicbot."):
            continue
        path = ROOT / (module.replace(".", "/") + ".py")
        assert path.is_file(), f"{section}: {module} has no file {path.relative_to(ROOT)}"
        assert re.search(rf"^class {class_name}\b", path.read_text(encoding="utf-8"), re.M), (
            f"{section}: no class {class_name} in {path.relative_to(ROOT)}"
        )


def test_rasa_expands_every_placeholder_in_endpoints_production() -> None:
    # Rasa 3.6 expands ${VAR} only in unquoted YAML scalars; a quoted
    # "${VAR}" reaches the tracker store or action endpoint as literal text.
    from rasa.shared.utils import io

    monkeypatch = pytest.MonkeyPatch()
    try:
        for name in endpoint_variables():
            monkeypatch.setenv(name, "1")
        loaded = io.read_yaml(ENDPOINTS_PRODUCTION.read_text(encoding="utf-8"))
    finally:
        monkeypatch.undo()
    left = sorted(set(PLACEHOLDER.findall(repr(loaded))))
    assert not left, f"Rasa leaves these unexpanded (remove the quotes): {left}"


def test_rasa_entrypoint_is_valid_bash() -> None:
    result = subprocess.run(
        ["bash", "-n", str(DEPLOY / "rasa-entrypoint.sh")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _run_entrypoint(tmp_path: Path, env: dict[str, str], *args: str) -> list[str]:
    """Run the entry point with stub `rasa` and `python` that record their arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "rasa").write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n', encoding="utf-8")
    (bin_dir / "python").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    result = subprocess.run(
        ["bash", str(DEPLOY / "rasa-entrypoint.sh"), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_entrypoint_opens_the_api_only_with_a_jwt_secret(tmp_path: Path) -> None:
    assert "--enable-api" not in _run_entrypoint(tmp_path, {}, "run", "--port", "5005")
    arguments = _run_entrypoint(
        tmp_path, {"RASA_ENABLE_API": "true", "RASA_JWT_SECRET": "s3"}, "run"
    )
    assert arguments[arguments.index("--jwt-secret") + 1] == "s3"
    refused = subprocess.run(
        ["bash", str(DEPLOY / "rasa-entrypoint.sh"), "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "RASA_ENABLE_API": "true"},
    )
    assert refused.returncode != 0


def test_entrypoint_appends_cors_origins_from_the_environment(tmp_path: Path) -> None:
    arguments = _run_entrypoint(
        tmp_path, {"RASA_CORS_ORIGINS": "https://a.example https://b.example"}, "run"
    )
    assert arguments[-3:] == ["--cors", "https://a.example", "https://b.example"]


NGINX_CONF = DEPLOY / "nginx" / "clinicbot.conf"


def nginx_upstreams() -> dict[str, str]:
    """Each `upstream name { ... }` block's body, by name."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    return dict(re.findall(r"upstream\s+(\w+)\s*\{([^}]*)\}", text))


def nginx_proxy_target(location: str) -> str:
    text = NGINX_CONF.read_text(encoding="utf-8")
    block = re.search(rf"location\s+{re.escape(location)}\s*\{{([^}}]*)\}}", text)
    assert block, f"no location {location}"
    target = re.search(r"proxy_pass\s+http://(\w+);", block.group(1))
    assert target, f"location {location} proxies nowhere"
    return target.group(1)


def test_nginx_balances_rest_round_robin_and_keeps_socketio_sticky() -> None:
    """What tests/production proved for REST; socket.io sessions live in one process."""
    upstreams = nginx_upstreams()
    rest = upstreams[nginx_proxy_target("/webhooks/")]
    socketio = upstreams[nginx_proxy_target("/socket.io/")]
    assert not re.search(r"^\s*(ip_hash|hash|sticky)\b", rest, re.M)
    assert re.search(r"^\s*(ip_hash|hash\s+\S+)", socketio, re.M)


def test_nginx_accepts_the_deploy_configuration(tmp_path: Path) -> None:
    """`nginx -t` on the Compose configuration, with the replica's name pointed at loopback."""
    conf = NGINX_CONF.read_text(encoding="utf-8").replace("rasa:5005", "127.0.0.1:5005")
    (tmp_path / "clinicbot.conf").write_text(conf, encoding="utf-8")
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ {temp} access_log off; include {tmp_path}/clinicbot.conf; }}\n",
        encoding="utf-8",
    )
    paths = ["-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)]
    result = subprocess.run(
        [nginx_binary(), "-t", *paths],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_compose_and_helm_run_one_sanic_worker_per_replica() -> None:
    """Scaling is by replicas; SANIC_WORKERS>1 would split socket.io sessions across workers."""
    compose = service_environment(load_yaml(COMPOSE)["services"]["rasa"])
    helm = {item["name"]: item.get("value") for item in load_yaml(HELM_VALUES)["extraEnv"]}
    assert compose["SANIC_WORKERS"] == "1"
    assert helm["SANIC_WORKERS"] == "1"
    assert load_yaml(COMPOSE)["services"]["rasa"]["deploy"]["replicas"] == 2
    assert load_yaml(HELM_VALUES)["replicaCount"] == 2


def test_sanic_keeps_idle_connections_longer_than_its_clients() -> None:
    """Rasa's client pools action-server connections for 15 s, Sanic closes them after 5 s."""
    services = load_yaml(COMPOSE)["services"]
    for name in ("rasa", "actions"):
        assert int(service_environment(services[name])["SANIC_KEEP_ALIVE_TIMEOUT"]) > 60, name
    for path in (HELM_VALUES, ACTION_SERVER_VALUES):
        env = {item["name"]: item.get("value") for item in load_yaml(path)["extraEnv"]}
        assert int(env["SANIC_KEEP_ALIVE_TIMEOUT"]) > 60, path.name
