"""The action server starts only on the rasa-sdk its actions were written for."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from actions import sdk_versions
from tests.support.servers import ROOT


def test_the_installed_sdk_is_the_pinned_one() -> None:
    sdk_versions.check()


def test_another_sdk_version_is_refused_with_what_to_do() -> None:
    with pytest.raises(sdk_versions.IncompatibleSdk, match=r"rasa-sdk==9\.9\.9, but found 3\.6\.2"):
        sdk_versions.check("9.9.9")


def test_the_action_server_refuses_to_start_on_another_sdk(tmp_path: object) -> None:
    code = (
        "import sys; from actions import sdk_versions, server; "
        "sdk_versions.PINNED_SDK = '9.9.9'; "
        "sdk_versions.check.__defaults__ = ('9.9.9',); sys.exit(server.main(['--port', '1']))"
    )
    env = {**os.environ, "ACTION_SERVER_TOKEN": "x" * 32}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "Not starting: The actions need rasa-sdk==9.9.9" in done.stderr
