"""The setup every NLU component with nothing to learn shares: built from its config alone."""

from __future__ import annotations

from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

Component = TypeVar("Component", bound="UntrainedComponent")


class UntrainedComponent(GraphComponent):
    """A component that learns and saves nothing, so it needs only its config.

    `create` fills in `get_default_config()` as Rasa's graph does, so a
    component made directly (a test, a benchmark) reads the same settings.
    Trainable components (rasa_ext/nlu/context.py) keep their own setup.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls: type[Component],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls({**cls.get_default_config(), **config})
