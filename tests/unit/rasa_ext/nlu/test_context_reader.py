"""The context reader as a Rasa component: trained with the model, saved, loaded, and run."""

from __future__ import annotations

from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.understanding.context import Move
from clinic.understanding.decision import Context
from rasa_ext.nlu.context import SURE_NEW, ContextMoveClassifier
from rasa_ext.nlu.readings import CONTEXT, JOINED, MOVE, PART, REWRITE, SWAPPED

EXAMPLES = """
version: "1"
context:
  - means: detail:where
    after: [faq/origin]
    examples: |
      - which country
      - where was that
      - in which country
  - means: close
    after: any
    examples: |
      - no thanks
      - no that's all
"""


def _component(tmp_path: Path, examples: Path) -> tuple[ContextMoveClassifier, LocalModelStorage]:
    (tmp_path / "storage").mkdir(exist_ok=True)
    storage = LocalModelStorage(tmp_path / "storage")
    config = {**ContextMoveClassifier.get_default_config(), "examples": str(examples)}
    context = ExecutionContext(GraphSchema({}), "test")
    return ContextMoveClassifier.create(config, storage, Resource("context"), context), storage


def _training_data() -> TrainingData:
    questions = ["what is mesotherapy", "how many sessions will I need", "where are you based"]
    return TrainingData([Message(data={"text": q, "intent": "faq"}) for q in questions])


def _asked(text: str, context: Context) -> Message:
    message = Message(data={"text": text})
    message.set(CONTEXT, context)
    return message


def test_the_reader_is_trained_saved_loaded_and_reads_a_move(tmp_path: Path) -> None:
    folder = tmp_path / "context"
    folder.mkdir()
    (folder / "examples.yml").write_text(EXAMPLES, encoding="utf-8")
    component, storage = _component(tmp_path, folder)
    resource = component.train(_training_data())
    config = {**ContextMoveClassifier.get_default_config(), "examples": str(folder)}
    loaded = ContextMoveClassifier.load(
        config, storage, resource, ExecutionContext(GraphSchema({}), "test")
    )
    message = _asked("what country?", Context(after="faq/origin"))
    loaded.process([message])
    move = message.get(MOVE)
    assert isinstance(move, Move) and move.name == "detail:where"


def test_without_an_answer_before_or_for_a_button_no_move_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "context"
    folder.mkdir()
    (folder / "examples.yml").write_text(EXAMPLES, encoding="utf-8")
    component, _ = _component(tmp_path, folder)
    component.train(_training_data())
    first = _asked("which country", Context())
    button = _asked("/faq/origin", Context(after="faq/origin"))
    component.process([first, button])
    assert first.get(MOVE) is None and button.get(MOVE) is None


def test_a_changed_example_changes_the_fingerprint(tmp_path: Path) -> None:
    folder = tmp_path / "context"
    folder.mkdir()
    path = folder / "examples.yml"
    path.write_text(EXAMPLES, encoding="utf-8")
    config = {"examples": str(folder)}
    before = ContextMoveClassifier.fingerprint_addon(config)
    path.write_text(EXAMPLES + "      - nope\n", encoding="utf-8")
    assert ContextMoveClassifier.fingerprint_addon(config) != before


def test_the_fingerprint_reads_the_project_s_examples_when_the_config_names_none() -> None:
    # Rasa hands fingerprint_addon the config as written in config.yml, without defaults.
    assert ContextMoveClassifier.fingerprint_addon({}) == ContextMoveClassifier.fingerprint_addon(
        {"examples": "data/context"}
    )


def test_a_message_surely_new_is_read_without_its_readings_in_context(tmp_path: Path) -> None:
    folder = tmp_path / "context"
    folder.mkdir()
    (folder / "examples.yml").write_text(EXAMPLES, encoding="utf-8")
    component, _ = _component(tmp_path, folder)
    component.train(_training_data())
    after_origin = Context(after="faq/origin", earlier_questions=("where is it from",))

    def batch(text: str) -> list[Message]:
        extra = [
            Message(data={"text": f"{text} {n}", PART: part})
            for n, part in enumerate((REWRITE, SWAPPED, JOINED, "question"))
        ]
        return [_asked(text, after_origin), *extra]

    new = component.process(batch("how many sessions will I need"))
    assert new[0].get(MOVE).name == "new" and new[0].get(MOVE).confidence >= SURE_NEW
    assert [m.get(PART) for m in new[1:]] == ["question"]  # its parts stay, the rest go
    detail = component.process(batch("which country"))
    assert len(detail) == 5  # a detail of the last answer keeps every reading
