"""axe-core (from web/node_modules, pinned in web/package.json) run in the page under test.

WCAG 2.0 and 2.1, levels A and AA; the tests hold every page and the open
widget to no serious or critical violation. axe reads into open shadow
roots, so deep-chat's own markup is checked too.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.support.servers import ROOT

AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every WCAG 2.1 A/AA violation axe finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return list(found["violations"])


def blocking_violations(page: Page) -> list[str]:
    """The serious or critical violations, one readable line each."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in axe_violations(page)
        if v["impact"] in BLOCKING
    ]
