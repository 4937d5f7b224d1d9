"""The benchmark's arithmetic: percentiles, ratios to stock, target verdicts, NLU scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import report
from bench.eval_nlu import scores
from bench.load import load_conversations, percentile


def test_percentiles_use_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (
        50.0,
        95.0,
        99.0,
    )
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def _row(system: str, throughput: float, p95: float = 100.0) -> dict[str, object]:
    return {
        "system": system,
        "transport": "rest",
        "visitors": 50,
        "throughput_msg_s": throughput,
        "p50_ms": 10.0,
        "p95_ms": p95,
    }


def test_throughput_target_is_judged_against_stock_in_the_same_run() -> None:
    fast = {"load": [_row("project", 100.0), _row("stock", 19.0)]}
    slow = {"load": [_row("project", 90.0), _row("stock", 19.0)]}
    verdicts = {r["target"]: r["verdict"] for r in report.check_targets(fast)}
    assert verdicts["throughput, 50 visitors, vs stock"] == "pass"
    verdicts = {r["target"]: r["verdict"] for r in report.check_targets(slow)}
    assert verdicts["throughput, 50 visitors, vs stock"] == "FAIL"


def test_a_missing_figure_is_reported_as_not_measured_not_as_a_pass() -> None:
    verdicts = {r["target"]: r["verdict"] for r in report.check_targets({"load": []})}
    assert set(verdicts.values()) == {"not measured"}


def test_memory_targets_read_the_peak_of_each_process() -> None:
    results = {"load": [], "project": {"peak_rss_mb": {"rasa": 950.0, "actions": 120.0}}}
    verdicts = {r["target"]: r["verdict"] for r in report.check_targets(results)}
    assert verdicts["Rasa server peak RSS"] == "FAIL"
    assert verdicts["action server peak RSS"] == "pass"


def test_nlu_scores_count_a_fallback_as_declined_not_as_wrong() -> None:
    rows = [
        ("what is it", "faq/what_is", "faq/what_is"),
        ("price?", "faq/price", "nlu_fallback"),
        ("weather?", "out_of_scope", "out_of_scope"),
        ("football?", "out_of_scope", "faq/what_is"),
    ]
    result = scores(rows)
    assert result["accuracy"] == 0.5
    assert result["wrong_answer_rate"] == 0.25
    assert result["out_of_scope_declined"] == 0.5


def test_every_bench_conversation_has_ten_turns_and_one_plan() -> None:
    conversations = load_conversations()
    assert len(conversations) >= 3
    for turns in conversations:
        assert len(turns) == 10
        assert sum("plan" in turn for turn in turns) == 1


def test_a_bare_yes_in_a_bench_conversation_is_refused(tmp_path: Path) -> None:
    conversations = tmp_path / "conversations.yml"
    conversations.write_text("conversations:\n  - - hi\n    - yes\n", encoding="utf-8")
    with pytest.raises(ValueError, match="quote the turn True"):
        load_conversations(conversations)
    conversations.write_text('conversations:\n  - - hi\n    - "yes"\n', encoding="utf-8")
    assert load_conversations(conversations) == [["hi", "yes"]]


def test_report_says_which_figures_were_re_measured_after_the_full_run() -> None:
    import json

    results = json.loads((Path(report.__file__).parent / "results" / "bench.json").read_text())
    results["date"] = "2026-11-30T01:00:00+00:00"
    results["remeasured"] = [{"date": "2026-11-30T05:00:00+00:00", "only": ["training", "project"]}]
    lines = report.render(results).splitlines()
    assert lines[0] == "Full run of 2026-11-30T01:00:00+00:00"
    assert lines[1] == "  re-measured on 2026-11-30T05:00:00+00:00: training, project"


def test_stock_config_is_rasa_inits_and_can_be_written_on_a_fresh_clone(tmp_path: Path) -> None:
    import yaml

    from bench import systems

    path = systems.stock_config(tmp_path / "not-yet" / "stock-config.yml")
    config = yaml.safe_load(path.read_text())
    assert {"DIETClassifier", "ResponseSelector"} <= {c["name"] for c in config["pipeline"]}
    assert "TEDPolicy" in {p["name"] for p in config["policies"]}


def test_long_conversation_compares_the_same_questions_early_and_late() -> None:
    from bench.load import long_questions, same_question_turns

    questions = long_questions()
    late = same_question_turns([2, 3, 4, 5, 6], len(questions), 200)
    assert all(200 - len(questions) <= turn < 200 for turn in late)  # the last time asked
    assert [questions[t % len(questions)] for t in late] == questions[2:7]
    assert same_question_turns([2, 3], 7, 20) == [16, 17]


def test_a_transport_that_never_answers_is_not_loaded_further(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stock's socket.io never replies: its 10- and 50-visitor levels would only time out."""
    import asyncio
    from types import SimpleNamespace

    from bench import load, run

    calls: list[tuple[str, int]] = []

    async def fake_load(url: str, transport: str, visitors: int, *args: object) -> object:
        calls.append((transport, visitors))
        answered = [] if transport == "socketio" else [0.01, 0.02]
        errors = ["no reply to 'hi'"] if transport == "socketio" else []
        return load.LoadResult(transport, visitors, answered, errors, wall_s=1.0)

    async def answered_at_once(url: str, deadline_s: float) -> float:
        return 0.0

    monkeypatch.setattr(load, "run_load", fake_load)
    monkeypatch.setattr(load, "first_answer", answered_at_once)
    system = SimpleNamespace(name="floor", url="http://x", launched_at=0.0)
    system.peak_rss_mb = lambda: {}
    figures = asyncio.run(run.measure_system(system, {1: 1, 10: 1, 50: 1}, 0))  # type: ignore[arg-type]

    assert calls[1:] == [("rest", 1), ("rest", 10), ("rest", 50), ("socketio", 1)]
    assert [(row["transport"], row["visitors"]) for row in figures["load"]][-1] == ("socketio", 1)
    assert figures["skipped"] == [
        {"transport": "socketio", "after_visitors": 1, "why": "no reply at all"}
    ]
