"""Layout checks on the chat widget as Chromium draws it (element boxes, not pixels)."""

from __future__ import annotations

from typing import TypedDict

from playwright.sync_api import Page


class Box(TypedDict):
    """A getBoundingClientRect in CSS pixels."""

    left: float
    top: float
    right: float
    bottom: float


class Part(Box):
    text: str
    overflows: bool


# The parts of the widget's header (web/static/chat.js) that show text or take clicks.
HEADER_PARTS = {
    "title": ".chat-header > .chat-title",
    "subtitle": ".chat-header > .chat-subtitle",
    "close button": ".chat-header > .chat-close",
}

# getBoundingClientRect of the header and of each part that is drawn (a part
# with display:none has no box), and whether a part's text overflows its box.
MEASURE = """
(parts) => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  const header = document.querySelector(".chat-header");
  if (!header) return null;
  const found = {};
  for (const [name, selector] of Object.entries(parts)) {
    const el = document.querySelector(selector);
    if (!el || el.getClientRects().length === 0) continue;
    const r = box(el);
    if (r.right - r.left < 1 || r.bottom - r.top < 1) continue;
    found[name] = {
      ...r,
      text: el.textContent,
      overflows: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
    };
  }
  return {
    header: box(header),
    viewport: {left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight},
    parts: found,
  };
}
"""

TOLERANCE = 0.5  # px: boxes that merely touch, or differ by sub-pixel rounding, are apart


def _describe(box: Box) -> str:
    return "({left:.0f},{top:.0f})-({right:.0f},{bottom:.0f})".format(**box)


def _overlap(a: Box, b: Box) -> bool:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > TOLERANCE and height > TOLERANCE


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner["left"] >= outer["left"] - TOLERANCE
        and inner["top"] >= outer["top"] - TOLERANCE
        and inner["right"] <= outer["right"] + TOLERANCE
        and inner["bottom"] <= outer["bottom"] + TOLERANCE
    )


def header_problems(page: Page) -> list[str]:
    """What is wrong with the open widget's header: parts that overlap, spill or are cut off."""
    measured = page.evaluate(MEASURE, HEADER_PARTS)
    if measured is None or "title" not in measured["parts"]:
        return ["the widget's header or its title is not shown"]
    header: Box = measured["header"]
    parts: dict[str, Part] = measured["parts"]
    problems = []
    names = list(parts)
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            if _overlap(parts[first], parts[second]):
                problems.append(
                    f"{first} {_describe(parts[first])} overlaps "
                    f"{second} {_describe(parts[second])}"
                )
    for name, part in parts.items():
        if not _inside(part, header):
            problems.append(f"{name} {_describe(part)} runs out of the header {_describe(header)}")
        if part["overflows"]:
            problems.append(f"{name}'s text {part['text']!r} overflows its box")
    if not _inside(header, measured["viewport"]):
        problems.append(f"the header {_describe(header)} runs off the screen")
    return problems


# The text box and the Send button (deep-chat's only input button), in its shadow root.
MEASURE_INPUT = """
() => {
  const chat = document.querySelector("deep-chat");
  const root = chat && chat.shadowRoot;
  const input = root && root.getElementById("text-input-container");
  const send = root && root.querySelector(".input-button");
  if (!input || !send) return null;
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  };
  return {input: box(input), send: box(send), window: box(document.getElementById("chat-window"))};
}
"""
ALIGNED = 3  # px: how far the Send button's middle may sit from the text box's


def input_problems(page: Page) -> list[str]:
    """What is wrong with the open widget's text box and Send button: overlap, spill, askew."""
    measured = page.evaluate(MEASURE_INPUT)
    if measured is None:
        return ["the text box or the Send button is not shown"]
    box: Box = measured["input"]
    send: Box = measured["send"]
    problems = []
    if _overlap(box, send):
        problems.append(f"Send {_describe(send)} overlaps the text box {_describe(box)}")
    for name, part in (("the text box", box), ("Send", send)):
        if not _inside(part, measured["window"]):
            problems.append(f"{name} {_describe(part)} runs out of the chat window")
    middle = (box["top"] + box["bottom"]) / 2 - (send["top"] + send["bottom"]) / 2
    if abs(middle) > ALIGNED:
        problems.append(f"Send {_describe(send)} is not level with the text box {_describe(box)}")
    return problems
