"""The bot's spaCy pipeline, built in code because no pretrained model can be downloaded.

A blank English pipeline, a lookup lemmatizer from `spacy-lookups-data` and
an EntityRuler that recognises the article's conditions, other skin
treatments and body areas from `entity_patterns.yml`. (The classifier reads
words as typed, which measured better than lemmas: docs/nlu-pipeline.md.)

Run `python -m rasa_ext.nlu.spacy_pipeline [DIR]` to write it to disk for Rasa's
`SpacyNLP` component (the setup step does this).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.language import Language

from clinic.settings import PROJECT_ROOT

PATTERNS_PATH = Path(__file__).with_name("entity_patterns.yml")
DEFAULT_MODEL_DIR = PROJECT_ROOT / "build" / "spacy-en-clinic"
# Bump when the way the pipeline is built changes, so Rasa retrains.
BUILD_VERSION = "1"


def load_patterns(path: Path = PATTERNS_PATH) -> list[dict[str, Any]]:
    """EntityRuler phrase patterns: one per spelling, labelled and with its normalised id."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    patterns = []
    for label, values in raw.items():
        for value_id, phrases in values.items():
            for phrase in phrases:
                patterns.append({"label": label, "pattern": str(phrase).lower(), "id": value_id})
    return patterns


def patterns_fingerprint(path: Path = PATTERNS_PATH) -> str:
    """Changes whenever the patterns or the build recipe change."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(BUILD_VERSION.encode())
    return digest.hexdigest()[:16]


def build_pipeline(patterns_path: Path = PATTERNS_PATH) -> Language:
    """Blank English + lookup lemmatizer + EntityRuler, initialised and ready to use."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe(
        "entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
    )
    nlp.initialize()  # loads the lemma tables from spacy-lookups-data
    ruler.add_patterns(load_patterns(patterns_path))  # type: ignore[attr-defined]
    nlp.meta["name"] = "en_clinic"
    nlp.meta["description"] = f"Mesotherapy assistant pipeline, patterns {patterns_fingerprint()}"
    return nlp


def write_pipeline(model_dir: Path = DEFAULT_MODEL_DIR) -> Path:
    """Build the pipeline and save it where `config.yml` expects it."""
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(model_dir)
    (model_dir / "patterns.sha").write_text(patterns_fingerprint(), encoding="utf-8")
    return model_dir


def is_current(model_dir: Path = DEFAULT_MODEL_DIR) -> bool:
    """True when the saved pipeline was built from today's patterns."""
    stamp = model_dir / "patterns.sha"
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == patterns_fingerprint()


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_MODEL_DIR
    if is_current(target):
        print(f"spaCy pipeline up to date: {target}")
        return 0
    print(f"spaCy pipeline written to {write_pipeline(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
