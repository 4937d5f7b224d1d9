"""Publishing the browser screenshots into docs/screenshots/ (tests/browser/screenshots.py)."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from tests.browser.screenshots import DOCS, PUBLISHED, file_name, publish


def test_every_published_page_is_copied_as_a_palette_png_and_a_missing_one_is_named(
    tmp_path: Path,
) -> None:
    artifacts, docs = tmp_path / "artifacts", tmp_path / "docs"
    artifacts.mkdir()
    docs.mkdir()
    wanted = [file_name(name, width) for name, widths in PUBLISHED.items() for width in widths]
    for name in wanted[1:]:
        Image.new("RGB", (40, 30), (120, 80, 200)).save(artifacts / name)
    assert publish(artifacts, docs) == [wanted[0]]
    assert sorted(p.name for p in docs.iterdir()) == sorted(wanted[1:])
    with Image.open(docs / wanted[1]) as copied:
        assert copied.mode == "P" and copied.size == (40, 30)


def test_the_docs_index_lists_exactly_the_published_pages() -> None:
    """docs/screenshots/README.md links every published file and no other."""
    linked = set(re.findall(r"\(([\w-]+\.png)\)", (DOCS / "README.md").read_text()))
    assert linked == {file_name(n, w) for n, widths in PUBLISHED.items() for w in widths}
