"""The Overview as a CSV file, for a manager's own spreadsheet or a monthly report.

Only figures, no visitor text: the period, every count on the page with its
label, the resolution rate, the messages over time and 👍/👎 per topic, one
row each, times as UTC in ISO 8601 so a spreadsheet reads them as dates.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from staff.insights import Overview
from staff.periods import Period
from staff.wording import topic_title

COUNT_LABELS = {
    "conversations": "Conversations",
    "messages": "Visitor messages",
    "answered": "Answered from the article",
    "not_covered": '"Not covered" answers',
    "out_of_scope": "Out-of-scope declines",
    "fallback": "Not understood",
    "clarify_offered": '"Did you mean…?" offered',
    "clarify_accepted": '"Did you mean…?" accepted',
    "safety": "Safety routes",
    "planner_started": "Plans started",
    "planner_completed": "Plans completed",
    "contact": "Asked for a person",
    "feedback_up": "👍",
    "feedback_down": "👎",
    "questions": "Visitor questions",
    "resolved": "Resolved",
}


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def overview_csv(found: Overview, period: Period) -> str:
    """The overview's figures as CSV: section, what, value (and more columns per section)."""
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["section", "what", "value", "resolved", "unanswered"])
    rows.writerow(["period", "from", _iso(period.since)])
    rows.writerow(["period", "to", _iso(period.until)])
    for key, label in COUNT_LABELS.items():
        rows.writerow(["count", label, found.counts.get(key, 0)])
    rate = found.resolution_rate
    rows.writerow(["count", "Resolution rate", "" if rate is None else f"{rate:.3f}"])
    for point in found.series:
        rows.writerow(
            [
                "messages over time",
                _iso(point["at"]),
                point["messages"],
                point["resolved"],
                point["unanswered"],
            ]
        )
    rows.writerow([])
    rows.writerow(["section", "topic", "helpful", "not helpful", "share helpful"])
    for topic in found.topics:
        rows.writerow(
            [
                "feedback",
                topic_title(topic["topic"]),
                topic["up"],
                topic["down"],
                f"{topic['helpful']:.3f}",
            ]
        )
    return out.getvalue()
