"""Targets, the printed table and the chart of a benchmark run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Results = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """One figure from the benchmark issue, how to read it from the results, and its limit."""

    name: str
    unit: str
    read: Callable[[Results], float | None]
    limit: float
    at_most: bool = True

    def check(self, results: Results) -> dict[str, Any]:
        value = self.read(results)
        if value is None:
            verdict = "not measured"
        else:
            met = value <= self.limit if self.at_most else value >= self.limit
            verdict = "pass" if met else "FAIL"
        sign = "<=" if self.at_most else ">="
        return {
            "target": self.name,
            "value": None if value is None else round(value, 2),
            "limit": f"{sign} {self.limit:g} {self.unit}",
            "verdict": verdict,
        }


def load_row(results: Results, system: str, transport: str, visitors: int) -> Results | None:
    for row in results.get("load", []):
        if (row["system"], row["transport"], row["visitors"]) == (system, transport, visitors):
            return dict(row)
    return None


def _figure(system: str, transport: str, visitors: int, key: str) -> Callable[[Results], Any]:
    def read(results: Results) -> Any:
        row = load_row(results, system, transport, visitors)
        return None if row is None else row.get(key)

    return read


def _throughput_vs_stock(system: str) -> Callable[[Results], float | None]:
    def read(results: Results) -> float | None:
        ours = load_row(results, system, "rest", 50)
        stock = load_row(results, "stock", "rest", 50)
        if not ours or not stock or not stock["throughput_msg_s"]:
            return None
        return float(ours["throughput_msg_s"]) / float(stock["throughput_msg_s"])

    return read


def _get(*keys: str) -> Callable[[Results], Any]:
    def read(results: Results) -> Any:
        value: Any = results
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    return read


TARGETS = [
    Target("p50 latency, 1 visitor, REST", "ms", _figure("project", "rest", 1, "p50_ms"), 15),
    Target("p95 latency, 1 visitor, REST", "ms", _figure("project", "rest", 1, "p95_ms"), 30),
    Target("throughput, 50 visitors, vs stock", "x", _throughput_vs_stock("project"), 5, False),
    Target("p95 latency, 50 visitors, REST", "ms", _figure("project", "rest", 50, "p95_ms"), 1000),
    Target(
        "throughput, 50 visitors, 2 workers, vs stock",
        "x",
        _throughput_vs_stock("project-2workers"),
        5,
        at_most=False,
    ),
    Target(
        "p95 latency, 50 visitors, 2 workers",
        "ms",
        _figure("project-2workers", "rest", 50, "p95_ms"),
        1000,
    ),
    Target("message 200 vs message 5", "x", _get("project", "long", "ratio"), 1.5),
    Target("start-up to first answer", "s", _get("project", "startup_s"), 15),
    Target("training from scratch", "s", _get("training", "scratch_s"), 60),
    Target("training, unchanged project (make train)", "s", _get("training", "unchanged_s"), 5),
    Target("Rasa server peak RSS", "MB", _get("project", "peak_rss_mb", "rasa"), 800),
    Target("action server peak RSS", "MB", _get("project", "peak_rss_mb", "actions"), 150),
]


def check_targets(results: Results) -> list[dict[str, Any]]:
    return [target.check(results) for target in TARGETS]


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain markdown table (readable in a terminal and pasteable into a note)."""
    cells = [[str(row.get(column, "")) for column in columns] for row in rows]
    widths = [
        max(len(column), *(len(cell[i]) for cell in cells)) for i, column in enumerate(columns)
    ]

    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    lines = [line(columns), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += [line(cell) for cell in cells]
    return "\n".join(lines)


def ratios(results: Results) -> list[dict[str, Any]]:
    """Per transport and load level: throughput against stock, latency against the floors
    (the echo server, and the least any Rasa bot costs)."""
    rows = []
    for row in results.get("load", []):
        if not row["system"].startswith("project"):
            continue
        stock = load_row(results, "stock", row["transport"], row["visitors"])
        floor = load_row(results, "floor", row["transport"], row["visitors"])
        rasa_floor = load_row(results, "rasa-floor", row["transport"], row["visitors"])
        rows.append(
            {
                "system": row["system"],
                "transport": row["transport"],
                "visitors": row["visitors"],
                "throughput vs stock": _ratio(row, stock, "throughput_msg_s"),
                "stock p50 / ours": _ratio(stock, row, "p50_ms"),
                "ours p50 / floor": _ratio(row, floor, "p50_ms"),
                "ours p50 / rasa floor": _ratio(row, rasa_floor, "p50_ms"),
                "ours p95 / rasa floor": _ratio(row, rasa_floor, "p95_ms"),
                "ours throughput / floor": _ratio(row, floor, "throughput_msg_s"),
            }
        )
    return rows


def _ratio(top: Results | None, bottom: Results | None, key: str) -> str:
    if not top or not bottom or not top.get(key) or not bottom.get(key):
        return "-"
    return f"{float(top[key]) / float(bottom[key]):.2f}x"


def render(results: Results) -> str:
    columns = ["system", "transport", "visitors", "messages", "errors"]
    columns += ["p50_ms", "p95_ms", "p99_ms", "throughput_msg_s"]
    parts = [f"Full run of {results.get('date')}"]
    for partial in results.get("remeasured", []):
        parts.append(f"  re-measured on {partial['date']}: {', '.join(partial['only'])}")
    parts += ["", "Load (closed loop, 10-turn conversations):", table(results["load"], columns)]
    parts += ["", "Ratios:", table(ratios(results), list(ratios(results)[0]))]
    others = []
    for system in ("project", "stock"):
        if system in results:
            figures = results[system]
            others.append(
                {
                    "system": system,
                    "start-up s": figures.get("startup_s"),
                    "msg 5 ms": figures.get("long", {}).get("message_5_ms"),
                    "turns": figures.get("long", {}).get("turns"),
                    "last msg ms": figures.get("long", {}).get("last_message_ms"),
                    "last/5": figures.get("long", {}).get("ratio"),
                    "Rasa RSS MB": figures.get("peak_rss_mb", {}).get("rasa"),
                    "actions RSS MB": figures.get("peak_rss_mb", {}).get("actions"),
                    "training s": results.get("training", {}).get(f"{system}_s"),
                }
            )
    parts += ["", "Start-up, long conversations, memory, training:", table(others, list(others[0]))]
    parts += ["", "Targets:", table(results["targets"], ["target", "value", "limit", "verdict"])]
    return "\n".join(parts)


def chart(results: Results, path: Path) -> None:
    """Latency (p50, p95) and throughput by visitors, one line per system and transport."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (latency_ax, throughput_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    series: dict[tuple[str, str], list[Results]] = {}
    for row in results["load"]:
        series.setdefault((row["system"], row["transport"]), []).append(row)
    for (system, transport), rows in sorted(series.items()):
        rows.sort(key=lambda row: row["visitors"])
        visitors = [row["visitors"] for row in rows]
        label = f"{system} {transport}"
        (line,) = latency_ax.plot(
            visitors, [row["p50_ms"] for row in rows], marker="o", label=label
        )
        latency_ax.plot(
            visitors, [row["p95_ms"] for row in rows], linestyle="--", color=line.get_color()
        )
        throughput_ax.plot(
            visitors, [row["throughput_msg_s"] for row in rows], marker="o", label=label
        )
    latency_ax.set(
        xscale="log", yscale="log", xlabel="visitors at once", ylabel="ms (solid p50, dashed p95)"
    )
    latency_ax.set_title("Latency per message")
    throughput_ax.set(xscale="log", yscale="log", xlabel="visitors at once", ylabel="messages/s")
    throughput_ax.set_title("Throughput")
    throughput_ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
