"""OpenAI fine-tuning job requests, as JSON (the body of
``POST /v1/fine_tuning/jobs``): ``model``, ``training_file``,
``validation_file``, ``hyperparameters`` or ``method``.

OpenAI sets the learning rate itself (``learning_rate_multiplier`` scales an
undisclosed base), so the learning-rate rules have nothing to check here.
"""

from __future__ import annotations

from typing import ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import BuiltinFramework, Fields, dataset_ref, top_keys
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema, YamlDialect
from ftlint.configs.view import ConfigView, Located, Objective, Task

_METHODS = {"supervised": Objective.SFT, "dpo": Objective.DPO, "reinforcement": Objective.OTHER}


class OpenAIFineTuning(BuiltinFramework):
    name: ClassVar[str] = "openai"
    dialect: ClassVar[YamlDialect] = YamlDialect.JSON

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        if "training_file" in keys and "model" in keys:
            return 0.95
        if "model" in keys and ("hyperparameters" in keys or "method" in keys):
            return 0.6 if isinstance(document.get("/method/type"), str) else 0.0
        return 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_small import OPENAI

        return OPENAI

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/model")
        kind = f.string("/method/type")
        hyper = "/hyperparameters"
        if kind is not None:
            hyper = f"/method/{kind.value}/hyperparameters"
        training = f.string("/training_file")
        validation = f.string("/validation_file")
        return ConfigView(
            framework=self.name,
            task=Task.TRAIN,
            model=model,
            model_facts=catalog.from_name(model.value) if model else None,
            objective=_objective(f, kind),
            micro_batch_size=f.integer(f"{hyper}/batch_size", "/hyperparameters/batch_size"),
            epochs=f.number(f"{hyper}/n_epochs", "/hyperparameters/n_epochs"),
            datasets=(dataset_ref(f, training.pointer, training.value),) if training else (),
            eval_datasets=(
                (dataset_ref(f, validation.pointer, validation.value, "eval"),)
                if validation
                else ()
            ),
            output_names=f.each_string("/suffix"),
            eval_data_known=True,
            seed=f.integer("/seed"),
        )


def _objective(f: Fields, kind: Located[str] | None) -> Located[Objective]:
    if kind is None:
        return f.default(Objective.SFT)
    return f.locate(kind.pointer, _METHODS.get(kind.value, Objective.OTHER))
