"""Endpoints files for an action server on another port (rasa_ext/endpoints_file.py)."""

from __future__ import annotations

from pathlib import Path

from rasa_ext import endpoints_file

ROOT = Path(__file__).resolve().parents[3]


def test_the_copy_names_the_new_port_and_keeps_everything_else(tmp_path: Path) -> None:
    target = tmp_path / "var" / "endpoints-6123.yml"
    endpoints_file.main([str(ROOT / "endpoints.yml"), str(target), "--actions-port", "6123"])

    original = endpoints_file.load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    copy = endpoints_file.load(target.read_text(encoding="utf-8"))
    assert original["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    assert copy["action_endpoint"]["url"] == "http://127.0.0.1:6123/webhook"
    assert {key: value for key, value in copy.items() if key != "action_endpoint"} == {
        key: value for key, value in original.items() if key != "action_endpoint"
    }


def test_the_token_reference_stays_plain_for_rasa_to_fill_in() -> None:
    """Rasa 3.6 fills `${...}` in only where the value is not quoted."""
    text = (
        "action_endpoint:\n"
        '  url: "http://127.0.0.1:5055/webhook"\n'
        "  headers:\n"
        "    X-Action-Token: ${ACTION_SERVER_TOKEN}\n"
    )
    written = endpoints_file.dump(endpoints_file.with_action_port(endpoints_file.load(text), 7000))
    assert "X-Action-Token: ${ACTION_SERVER_TOKEN}\n" in written
    assert "url: http://127.0.0.1:7000/webhook" in written
