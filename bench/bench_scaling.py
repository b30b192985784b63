"""Target 2: generating 100 models costs at most 2x generating 1 model, and each
model adds at most 3 ms; and (2s, the part the template controls) the 100-model
copy costs at most 1.3x a static template writing the same files.

`copier copy --defaults` of a clone of this template (Python API, in process) with
`models` = 1 and 100 models; each model has four scalar fields and (but the first)
a nullable reference to the one before it. The marginal cost per model is
(t100 - t1) / 99.

Diagnostics, to split the cost per model: "static" templates that render byte for
byte the same two projects without any Jinja logic (copier's own cost per file),
and this template again with copier's per-file `git config` subprocess switched
off (see `without_per_file_git_config` in _common.py).
"""

from __future__ import annotations

import itertools
import shutil
from contextlib import nullcontext
from pathlib import Path

from _common import (
    Row,
    copy,
    interleave,
    many_models,
    median,
    run_benchmark,
    scratch_dir,
    static_template,
    template_clone,
    timed,
    without_per_file_git_config,
)

RATIO_LIMIT = 2.0
PER_MODEL_LIMIT = 0.003
STATIC_LIMIT = 1.3
SIZES = (1, 100)


def measure(repetitions: int) -> list[Row]:
    work = scratch_dir("scaling")
    numbers = itertools.count()
    try:
        template = template_clone(work / "template")
        answers = {n: {"models": many_models(n)} for n in SIZES}
        static = {
            n: static_template(
                work / f"static-{n}",
                copy(template, work / f"probe-{n}" / "my-app", answers[n]),
            )
            for n in SIZES
        }

        def case(source: Path, data: dict, patched: bool = False):
            def run() -> float:
                destination = work / f"out-{next(numbers)}" / "my-app"
                with without_per_file_git_config() if patched else nullcontext():
                    elapsed = timed(lambda: copy(source, destination, data))
                shutil.rmtree(destination.parent)
                return elapsed

            return run

        cases = {}
        for n in SIZES:
            cases[f"template-{n}"] = case(template, answers[n])
            cases[f"static-{n}"] = case(static[n], {})
            cases[f"patched-{n}"] = case(template, answers[n], patched=True)
        samples = interleave(cases, repetitions, warmup=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t = {name: median(values) for name, values in samples.items()}
    rows = []
    for kind, label in [
        ("template", "this template"),
        ("static", "static template (no Jinja logic)"),
        ("patched", "this template, copier without per-file `git config`"),
    ]:
        few, many = t[f"{kind}-1"], t[f"{kind}-100"]
        target = kind == "template"
        tag = "2" if target else "2 diag"
        rows.append(
            Row(
                tag,
                f"copy with 100 models vs 1 model: {label}",
                "100 models",
                many,
                "1 model",
                few,
                many / few,
                "x",
                RATIO_LIMIT if target else None,
                repetitions=repetitions,
            )
        )
        rows.append(Row(tag, f"marginal cost per model: {label}",
                        "100 models", many, "1 model", few, (many - few) / 99, "ms",
                        PER_MODEL_LIMIT if target else None, repetitions=repetitions))  # fmt: skip
    rows.insert(2, Row("2s", "copy with 100 models: this template vs a static template "
                       "writing the same files", "this template", t["template-100"],
                       "static template", t["static-100"],
                       t["template-100"] / t["static-100"], "x", STATIC_LIMIT,
                       repetitions=repetitions))  # fmt: skip
    rows.insert(3, Row("2s diag", "the same with 1 model", "this template",
                       t["template-1"], "static template", t["static-1"],
                       t["template-1"] / t["static-1"], "x", None,
                       repetitions=repetitions))  # fmt: skip
    return rows


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Target 2: scaling with the number of models",
        measure,
        repetitions=9,
    )
