"""The widget's files: the two npm packages as published, pinned, and the clinic's script."""

from __future__ import annotations

import json
from pathlib import Path

from web.widget import NODE_MODULES, WIDGET_FILES, WidgetFile, missing_files, read_widget_files

PINNED = json.loads((Path(__file__).resolve().parents[3] / "web" / "package.json").read_text())


def test_the_served_packages_are_the_pinned_versions_unchanged() -> None:
    assert not missing_files(), "run `make setup` (npm ci)"
    served = read_widget_files()
    for package, name in (("deep-chat", "deep-chat.js"), ("socket.io-client", "socket.io.min.js")):
        installed = json.loads((NODE_MODULES / package / "package.json").read_text())
        assert installed["version"] == PINNED["dependencies"][package]
        on_disk = next(f.path for f in WIDGET_FILES if f.url_name == name).read_bytes()
        assert served[name] == on_disk  # nothing replaced at run time


def test_the_clinics_script_sends_the_token_and_loads_no_google_font() -> None:
    script = read_widget_files()["chat.js"].decode()
    assert "auth: {token: token}" in script
    # deep-chat fetches Inter from Google Fonts unless given another font.
    assert "chat.style.fontFamily" in script


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    absent = (WidgetFile("x.js", tmp_path / "nowhere" / "x.js"),)
    assert read_widget_files(absent) == {}
    assert missing_files(absent) == [str(absent[0].path)]
