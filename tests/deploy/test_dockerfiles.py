"""The Dockerfiles, read as text: pinned bases, what they copy and install, non-root users."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.deploy.assembly import in_context
from tests.deploy.files import (
    ACTIONS_DOCKERFILE,
    DEPLOY,
    DOCKERFILES,
    ENDPOINTS_PRODUCTION,
    RASA_DOCKERFILE,
    WEB_DOCKERFILE,
    copy_sources,
    dockerfile_instructions,
    from_images,
    load_yaml,
    pins,
)
from tests.support.servers import ROOT


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
    excluded = [source for source in copy_sources(dockerfile) if not in_context(dockerfile, source)]
    assert not excluded, f"{dockerfile.name}.dockerignore leaves out {excluded}"


def test_rasa_image_copies_what_config_and_endpoints_need() -> None:
    sources = {source.rstrip("/") for source in copy_sources(RASA_DOCKERFILE)}
    for needed in (
        "rasa_ext",
        "clinic",
        "content",
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
    assert any(f"-m rasa_ext.nlu.spacy_pipeline {model_path}" in run for run in runs)
    assert any("python -m rasa_ext train" in run for run in runs)


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
        if not module.startswith("rasa_ext."):
            continue
        path = ROOT / (module.replace(".", "/") + ".py")
        assert path.is_file(), f"{section}: {module} has no file {path.relative_to(ROOT)}"
        assert re.search(rf"^class {class_name}\b", path.read_text(encoding="utf-8"), re.M), (
            f"{section}: no class {class_name} in {path.relative_to(ROOT)}"
        )
