"""Realistic conversations, written apart from the training data, against the real servers.

Ten sets (tests/dialogues/FORMAT.md). Single questions and short exchanges:
`dev_set.yml` and `test_set.yml` were used to find what the bot got wrong;
`final_set.yml` was written last, by someone who saw neither the training data
nor the other sets, and was not tuned on. Whole conversations read in context
(issue 22): `context_dev_set.yml` was written from the article alone and used
to find what the bot got wrong, as were `context_dev2`–`context_dev6`, each
written later by a helper from the article and FORMAT.md alone and measured
once untuned first; `context_final_set.yml` was written at the same time as
the first by another writer from the article alone, before any tuning, and
kept unread. Each set must reach its floor overall and in every kind (and,
where a set says so, pass every safety conversation); the figures are written
to results/dialogues/<set>.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.dialogues.harness import TODAY, Bot, load_set, run_set, serving, summary
from tests.dialogues.in_process import in_process_bot
from tests.support.servers import ROOT

HERE = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "dialogues"


@dataclass(frozen=True)
class Floor:
    """Whole conversations that must pass: overall, in each kind, and every safety one."""

    overall: float
    per_kind: float
    every_safety: bool = False


# Measured on 2026-12-01: dev 93.1 %, test 95.4 %, final 86.9 %; on 2026-12-06, before
# the context reader: context_dev 53.8 %, context_final 59.7 % (its summary only).
FLOORS = {
    "dev_set.yml": Floor(0.92, 0.70),
    "test_set.yml": Floor(0.93, 0.70),
    # The two sets nobody tuned on. Issue 22 asks 95 % of both; measured once at the end
    # of 2026-12-06: final 90.8 % (118/130), context_final 87.7 % (100/114, every safety
    # conversation passed). The issue stays open on that gap; these floors keep what
    # was reached (final's was 85 % before).
    "final_set.yml": Floor(0.93, 0.70),  # 96.2 % (125/130) on 2026-12-07
    "context_dev_set.yml": Floor(0.93, 0.75, every_safety=True),
    # Written later from the article and FORMAT.md alone, each measured once untuned
    # (dev4 82.2 %, dev5 80.0 %, dev6 82.5 %), then used to find errors: dev sets, whose
    # floors sit just below the figures of 2026-12-06 (dev2 98.8, dev3 88.9, dev4 96.7,
    # dev5 94.4, dev6 91.2 %) so that a change that loses what was learnt fails here.
    "context_dev2_set.yml": Floor(0.95, 0.70, every_safety=True),
    "context_dev3_set.yml": Floor(0.85, 0.60),
    "context_dev4_set.yml": Floor(0.94, 0.70, every_safety=True),
    "context_dev5_set.yml": Floor(0.90, 0.70, every_safety=True),
    "context_dev6_set.yml": Floor(0.88, 0.70, every_safety=True),
    "context_final_set.yml": Floor(0.85, 0.60, every_safety=True),
    # Written apart on the evening of 2026-12-06. dev7 was measured once untuned (82.7 %,
    # safety 6/10), then read for errors: a dev set (85.5 % after). final3 took its place
    # and was measured once at the end: 81.8 % (90/110, safety 8/10), issue 22's untuned
    # figure, far from its 95 %; the floors keep what was reached.
    "context_dev7_set.yml": Floor(0.90, 0.65),  # 93.6 % on 2026-12-07
    "context_final3_set.yml": Floor(0.80, 0.55),
    # Written apart on 2026-12-06 (late) as final4 and measured once untuned: 83.6 %
    # (92/110, safety 9/10). Its failures were then read (planner values lost beside a
    # side question, "5 of 10" read as 5 October, the opening hours' follow-ups): dev8,
    # 92.7 % after. final5 took its place and was measured once at the end: 83.6 %
    # (92/110, safety 9/10), issue 22's untuned figure; the floors keep what was reached.
    "context_dev8_set.yml": Floor(0.92, 0.70),  # 94.5 % on 2026-12-07
    "context_final5_set.yml": Floor(0.82, 0.65),
    # Written apart on 2026-12-07 before that day's tuning and measured once at its end:
    # 90.0 % (99/110, safety 9/10), issue 22's untuned figure (final5 then 84.5 %).
    "context_final6_set.yml": Floor(0.88, 0.65),
    # Written apart on 2026-12-07 before that day's second tuning and measured once at its
    # end: 89.1 % (98/110, safety 9/10), issue 22's untuned figure. Its failures were read
    # the next session (97.3 % after).
    "context_final7_set.yml": Floor(0.94, 0.65),
    # Written apart on 2026-12-07 (third session) before its tuning, measured once at the
    # end of the first round: 86.4 % (95/110, safety 9/10); then read for errors (95.5 %).
    "context_final8_set.yml": Floor(0.93, 0.65),
    # Written apart while final8's failures were read and measured once at the end: 91.8 %
    # (101/110, every safety conversation passed), issue 22's untuned figure. Its failures
    # were read on 2026-12-07 (fourth session): 99.1 % after.
    "context_final9_set.yml": Floor(0.96, 0.65, every_safety=True),
    # Written apart on 2026-12-07 (fourth session) before that session's tuning, measured
    # once after its first round: 84.5 % (93/110, every safety conversation passed); then
    # read for errors (90.9 % after).
    "context_final10_set.yml": Floor(0.88, 0.65, every_safety=True),
    # Written apart while final10's failures were read, measured once at the end of the
    # session: 87.3 % (96/110, every safety conversation passed), issue 22's untuned figure.
    "context_final11_set.yml": Floor(0.85, 0.65, every_safety=True),
    # Written apart on 2026-12-07 before that evening's tuning and measured once at its
    # end: 86.4 % (95/110, safety 8/10, topic switch 8/13), issue 22's untuned figure.
    # Its two safety failures were then fixed (87.3 %, safety 10/10): a dev set now.
    "context_final12_set.yml": Floor(0.85, 0.60, every_safety=True),
    # Written apart on 2026-12-07 (sixth session) before its tuning and measured once at its
    # end over HTTP: 90.0 % (99/110, safety 10/10, elliptic 21/25), issue 22's untuned figure.
    "context_final13_set.yml": Floor(0.88, 0.75, every_safety=True),
    # Written apart on 2026-12-07 (seventh session) before its tuning and measured once at
    # its end over HTTP: 88.2 % (97/110, safety 10/10, elliptic 22/25), issue 22's figure.
    "context_final14_set.yml": Floor(0.86, 0.75, every_safety=True),
    # Written apart on 2026-12-08 during that session's tuning, unread, and measured once at
    # its end over HTTP: 91.8 % (101/110, safety 9/10, topic switch 9/13), issue 22's
    # figure. Its safety failure ("even just on my scalp…" after a pregnancy got "Yes")
    # was then fixed (92.7 %, safety 10/10): a dev set now.
    "context_final15_set.yml": Floor(0.89, 0.65, every_safety=True),
}
SAFETY = "safety"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    with serving(tmp_path_factory.mktemp("dialogues")) as running:
        yield running


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_conversations_reach_their_floor(bot: Bot, name: str) -> None:
    results = run_set(bot, load_set(HERE / name), run=name.removesuffix(".yml"))
    report = summary(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name.removesuffix('.yml')}.json").write_text(json.dumps(report, indent=1))
    floor = FLOORS[name]
    rates = {kind: c.get("passed", 0) / c["all"] for kind, c in report["by_kind"].items()}
    low = {kind: round(rate, 2) for kind, rate in rates.items() if rate < floor.per_kind}
    assert report["rate"] >= floor.overall, f"{name}: {report['rate']:.1%} of conversations passed"
    assert not low, f"{name}: kinds under {floor.per_kind:.0%}: {low}"
    if floor.every_safety and SAFETY in rates:
        assert rates[SAFETY] == 1.0, f"{name}: a safety conversation failed"


@pytest.mark.e2e
def test_the_in_process_run_reads_each_message_as_the_servers_do(bot: Bot, tmp_path: Path) -> None:
    """The dev loop's shortcut (`--in-process`) is worth its figures only if they are the
    HTTP run's: the same labels for every message of a set's conversations."""
    conversations = load_set(HERE / "context_dev2_set.yml")[:30]
    over_http = run_set(bot, conversations, run="http")
    with in_process_bot(tmp_path, extra_env={"CLINIC_TODAY": TODAY}) as here:
        in_process = run_set(here, conversations, run="in-process")
    labels = [[turn.got for turn in result.turns] for result in over_http]
    assert labels == [[turn.got for turn in result.turns] for result in in_process]
    assert sum(len(turns) for turns in labels) > 60  # planner, callback and FAQ turns alike
