"""`make eval`: NLU quality on the held-out questions, this project's configuration beside stock.

The held-out sets (tests/nlu/heldout.yml and heldout_neighbours.yml, the
questions next to the article's facts and the follow-ups read in context)
were written apart from the training data. A prediction counts as right only
when the intent *and*, for FAQs, the chosen answer are right. "Declined" means
the bot said it can't help (out_of_scope) or asked "did you mean…?"
(nlu_fallback) instead of answering.
Writes bench/results/eval.json and a confusion matrix PNG per configuration.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import report, systems
from tests.support.servers import ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
NEIGHBOURS = ROOT / "tests" / "nlu" / "heldout_neighbours.yml"
DECLINES = {"out_of_scope", "nlu_fallback"}
RESULTS = Path(__file__).with_name("results")


def predict(model: Path, heldout: Path = HELDOUT) -> list[tuple[str, str, str]]:
    """(text, expected label, predicted label); FAQ labels are `faq/<topic>`."""
    from rasa.core.agent import Agent

    from tests.nlu.in_context import predict as predict_in_context

    return predict_in_context(Agent.load(str(model)), heldout)


def scores(rows: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """Accuracy, wrong-answer rate, out-of-scope declined, and F1 per label."""
    from sklearn.metrics import f1_score

    expected = [row[1] for row in rows]
    predicted = [row[2] for row in rows]
    labels = sorted(set(expected))
    pairs = list(zip(expected, predicted, strict=True))
    out_of_scope = [p for e, p in zip(expected, predicted, strict=True) if e == "out_of_scope"]
    wrong = [1 for e, p in zip(expected, predicted, strict=True) if p != e and p not in DECLINES]
    per_label = f1_score(expected, predicted, labels=labels, average=None, zero_division=0)
    return {
        "examples": len(rows),
        "accuracy": round(sum(e == p for e, p in pairs) / len(rows), 4),
        "wrong_answer_rate": round(len(wrong) / len(rows), 4),
        "out_of_scope_declined": round(
            sum(p in DECLINES for p in out_of_scope) / len(out_of_scope), 4
        )
        if out_of_scope
        else None,
        "macro_f1": round(float(per_label.mean()), 4),
        "f1_per_label": {
            label: round(float(f), 3) for label, f in zip(labels, per_label, strict=True)
        },
        "misses": [list(row) for row in rows if row[1] != row[2]],
    }


def confusion_png(rows: Sequence[tuple[str, str, str]], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels = sorted({row[1] for row in rows} | {row[2] for row in rows})
    matrix = confusion_matrix([r[1] for r in rows], [r[2] for r in rows], labels=labels)
    fig, ax = plt.subplots(figsize=(12, 11))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    for (i, j), count in __import__("numpy").ndenumerate(matrix):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=6)
    ax.set(xlabel="predicted", ylabel="expected", title=title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _summary_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    def percent(value: float | None) -> str:
        return "-" if value is None else f"{value:.1%}"

    return [
        {
            "config": name,
            "examples": r["examples"],
            "accuracy": percent(r["accuracy"]),
            "wrong answers": percent(r["wrong_answer_rate"]),
            "out-of-scope declined": percent(r["out_of_scope_declined"]),
            "macro F1": r["macro_f1"],
        }
        for name, r in results.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-stock", action="store_true", help="only this project's model")
    parser.add_argument(
        "--model", type=Path, help="evaluate this model (.tar.gz) instead of the latest in models/"
    )
    parser.add_argument(
        "--stock-model",
        type=Path,
        help="score this stock model (.tar.gz), e.g. the one `make bench` trained, instead of "
        "training one (Rasa's training cache may not know it: about 35 minutes)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        help="examples to score, once per set (default: both held-out sets; tuning: "
        "tests/nlu/dev.yml)",
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="folder for eval.json and the PNGs"
    )
    args = parser.parse_args()
    results_dir: Path = args.results
    results_dir.mkdir(parents=True, exist_ok=True)
    sets: list[Path] = args.data or [HELDOUT, NEIGHBOURS]
    models = {"project": args.model or systems.latest_model(ROOT / "models")}
    if args.stock_model:
        models["stock"] = args.stock_model
    elif not args.skip_stock:
        from bench.run import stock_model

        models["stock"] = stock_model({})
    by_set: dict[str, dict[str, Any]] = {}
    for data in sets:
        results: dict[str, Any] = {}
        for name, model in models.items():
            rows = predict(model, data)
            results[name] = {"model": model.name, "data": data.name, **scores(rows)}
            title = f"{name}: {data.stem} confusion matrix"
            confusion_png(rows, title, results_dir / f"confusion-{name}-{data.stem}.png")
        by_set[data.stem] = results
        print(f"\n{data.name}")
        summary = _summary_rows(results)
        print(report.table(summary, list(summary[0])))
    (results_dir / "eval.json").write_text(json.dumps(by_set, indent=2), encoding="utf-8")
    first = by_set[sets[0].stem]
    labels = sorted(first["project"]["f1_per_label"])
    per_label = [
        {"label": label, **{name: r["f1_per_label"].get(label, "-") for name, r in first.items()}}
        for label in labels
    ]
    print(f"\nF1 per intent / FAQ answer ({sets[0].name}):")
    print(report.table(per_label, list(per_label[0])))
    targets = [
        ("held-out accuracy", first["project"]["accuracy"], 0.95),
        ("out-of-scope declined", first["project"]["out_of_scope_declined"], 0.95),
    ]
    print()
    for name, value, limit in targets:
        if value is None:
            continue
        verdict = "pass" if value >= limit else "FAIL"
        stock = first.get("stock", {}).get(
            (name.split()[0] == "held-out" and "accuracy") or "out_of_scope_declined"
        )
        versus = (
            ""
            if stock is None
            else f" (stock {stock:.1%}: {'not below' if value >= stock else 'BELOW'})"
        )
        print(f"{name}: {value:.1%} (target >= {limit:.0%}) {verdict}{versus}")
    print(f"\nResults: {results_dir / 'eval.json'}; confusion matrices: {results_dir}/*.png")


if __name__ == "__main__":
    main()
