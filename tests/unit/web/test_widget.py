"""The widget bundle is changed only when it is the pinned rasa-webchat."""

from __future__ import annotations

import pytest

from web.widget import (
    PINNED_WIDGET,
    SOCKET_CALL,
    SOCKET_CALL_WITH_AUTH,
    WIDGET_BUNDLE,
    WidgetBundleError,
    installed_version,
    widget_with_auth,
)


def test_the_installed_widget_is_the_pinned_one_and_sends_the_token() -> None:
    assert installed_version() == PINNED_WIDGET
    bundle = widget_with_auth(WIDGET_BUNDLE.read_text(encoding="utf-8"), installed_version())
    assert "window.clinicChatAuth" in bundle and SOCKET_CALL not in bundle


def test_another_widget_version_is_refused_with_what_to_do() -> None:
    with pytest.raises(WidgetBundleError, match=r"is 1\.1\.0, not the pinned 1\.0\.1.*make setup"):
        widget_with_auth(f"before {SOCKET_CALL} after", "1.1.0")


def test_a_bundle_whose_socket_call_changed_is_refused() -> None:
    with pytest.raises(WidgetBundleError):
        widget_with_auth("var r=n?{path:n}:{},o=io(e,r);", PINNED_WIDGET)


def test_only_the_socket_call_changes() -> None:
    assert widget_with_auth(f"a;{SOCKET_CALL}b;", PINNED_WIDGET) == f"a;{SOCKET_CALL_WITH_AUTH}b;"
