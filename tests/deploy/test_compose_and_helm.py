"""Docker Compose and the Helm values agree with the production profile and keep secrets out."""

from __future__ import annotations

import re

import pytest

from tests.deploy.files import (
    ACTION_SERVER_CHART_TOP_LEVEL_KEYS,
    ACTION_SERVER_VALUES,
    ACTIONS_DOCKERFILE,
    COMPOSE,
    ENDPOINTS_PRODUCTION,
    ENV_EXAMPLE,
    HELM_VALUES,
    PLACEHOLDER,
    RASA_CHART_APPLICATION_SETTINGS_KEYS,
    RASA_CHART_ENDPOINTS_KEYS,
    RASA_CHART_TOP_LEVEL_KEYS,
    RASA_DOCKERFILE,
    endpoint_variables,
    env_example_keys,
    load_yaml,
    service_environment,
    string_values,
)
from tests.support.servers import ROOT


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


GUARDED_CHANNELS = {
    "rasa_ext.channels.guarded.GuardedRestInput",
    "rasa_ext.channels.guarded.BoundSocketIOInput",
    "rasa_ext.channels.health.HealthChannel",
    "rasa_ext.channels.handoff.HandoffChannel",
}


def test_helm_opens_only_the_guarded_channels_with_the_shared_session_key() -> None:
    values = load_yaml(HELM_VALUES)
    channels = values["applicationSettings"]["credentials"]["additionalChannelCredentials"]
    assert set(channels) == GUARDED_CHANNELS
    key = next(item for item in values["extraEnv"] if item["name"] == "CHAT_SESSION_KEY")
    assert "secretKeyRef" in key["valueFrom"] and not key["valueFrom"]["secretKeyRef"].get(
        "optional"
    )


def test_compose_gives_rasa_and_the_web_app_the_same_required_session_key() -> None:
    services = load_yaml(COMPOSE)["services"]
    for name in ("rasa", "web"):
        value = service_environment(services[name])["CHAT_SESSION_KEY"]
        assert str(value).startswith("${CHAT_SESSION_KEY:?"), name


def test_compose_wires_live_chat_between_the_services() -> None:
    services = load_yaml(COMPOSE)["services"]
    for name in ("rasa", "web"):
        secret = service_environment(services[name])["HANDOFF_SECRET"]
        assert str(secret).startswith("${HANDOFF_SECRET:?"), name
    assert "redis" in str(service_environment(services["rasa"])["SOCKETIO_REDIS_URL"])
    assert "web:8080" in str(service_environment(services["actions"])["STAFF_CONSOLE_URL"])
    assert "rasa:5005" in str(service_environment(services["web"])["RASA_INTERNAL_URL"])


def test_the_always_on_channels_of_credentials_yml_are_the_guarded_ones() -> None:
    assert set(load_yaml(ROOT / "credentials.yml")) == GUARDED_CHANNELS
