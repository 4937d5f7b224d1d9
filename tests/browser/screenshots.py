"""The screenshots in docs/screenshots/: taken by `make browser`, published by `make screenshots`.

Browser tests save a page as tests/artifacts/<page>-<width>.png (`save`, at the
page's width, or `at_both_widths`); `python -m tests.browser.screenshots`
copies every page named in PUBLISHED into docs/screenshots/ as a PNG with an
adaptive 256-colour palette (a tenth of the size, text still sharp), and fails
naming any the last browser run did not take.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
BOTH = (DESKTOP["width"], PHONE["width"])
# The pages in the docs, and the widths each is shown at.
PUBLISHED: dict[str, tuple[int, ...]] = {
    "sign-in": BOTH,
    "sign-in-code": BOTH,
    "two-factor-setup": BOTH,
    "two-factor-recovery-codes": (DESKTOP["width"],),
    "overview": BOTH,
    "unanswered": BOTH,
    "unanswered-group": BOTH,
    "feedback": BOTH,
    "safety-log": BOTH,
    "live-chat-idle": BOTH,
    "live-chat-queue": BOTH,
    "live-chat-staff": BOTH,
    "live-chat-staff-fullpage": BOTH,
    "live-chat-visitor": BOTH,
    "canned-replies": BOTH,
    "callbacks": BOTH,
    "conversations-list": BOTH,
    "transcript": BOTH,
    "transcript-widget-visitor": (DESKTOP["width"],),
    "accounts": BOTH,
}


def file_name(name: str, width: int) -> str:
    return f"{name}-{width}.png"


def save(page: Page, name: str, full_page: bool = True) -> None:
    """The page as it is now, as tests/artifacts/<name>-<its width>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else DESKTOP["width"]
    page.screenshot(path=str(ARTIFACTS / file_name(name, width)), full_page=full_page)


def at_both_widths(page: Page, name: str, full_page: bool = True) -> None:
    """The page at 1280 px and at a 390 px phone width, then back to 1280."""
    save(page, name, full_page)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    save(page, name, full_page)
    page.set_viewport_size(DESKTOP)


def publish(artifacts: Path = ARTIFACTS, docs: Path = DOCS) -> list[str]:
    """Copies every published page from `artifacts` into `docs`; the files it lacked."""
    missing = []
    for name, widths in PUBLISHED.items():
        for width in widths:
            taken = artifacts / file_name(name, width)
            if not taken.is_file():
                missing.append(taken.name)
                continue
            with Image.open(taken) as image:
                image.convert("RGB").quantize(256).save(docs / taken.name, optimize=True)
    return missing


if __name__ == "__main__":
    lacking = publish()
    if lacking:
        sys.exit(f"Not taken by the last `make browser`: {', '.join(lacking)}")
    print(f"docs/screenshots/: {sum(len(w) for w in PUBLISHED.values())} screenshots")
