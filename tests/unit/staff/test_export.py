"""The unanswered questions' CSV (staff/export.py): safe to open and to share."""

from __future__ import annotations

import csv
import io

from staff.export import HEADER, no_formula, unanswered_csv
from staff.unanswered import Group

JAN_1 = 1_798_761_600.0  # 2027-01-01 00:00 UTC


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_one_row_per_example_numbered_by_group() -> None:
    groups = [
        Group("price", 5, JAN_1, JAN_1 + 3600, ["how much is it", "price?"], ["price"]),
        Group("vouchers", 1, JAN_1 + 60, JAN_1 + 60, ["gift vouchers"], ["vouchers"]),
    ]
    assert rows(unanswered_csv(groups)) == [
        HEADER,
        ["1", "5", "2027-01-01 00:00", "2027-01-01 01:00", "how much is it"],
        ["1", "5", "2027-01-01 00:00", "2027-01-01 01:00", "price?"],
        ["2", "1", "2027-01-01 00:01", "2027-01-01 00:01", "gift vouchers"],
    ]


def test_contact_details_are_replaced_and_formulas_quoted() -> None:
    examples = ["call me on 07700 900123 or jane@example.com", '=HYPERLINK("http://x")', "@SUM(1)"]
    (_, *found) = rows(unanswered_csv([Group("k", 3, JAN_1, JAN_1, examples, ["k"])]))
    assert [row[-1] for row in found] == [
        "call me on [phone] or [email]",
        '\'=HYPERLINK("http://x")',
        "'@SUM(1)",
    ]


def test_only_a_formula_start_is_quoted() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert no_formula(f"{start}1") == f"'{start}1"
    assert no_formula("1+1=2") == "1+1=2"
    assert no_formula("") == ""
