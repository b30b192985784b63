"""Target 1: `copier copy --defaults` of this template costs at most 1.3x the time
of copying a minimal one-file template from git (copier's own floor); and (1s, the
part the template controls) at most 1.3x a static template writing the same files.

Every side runs through copier's Python API in this process, from a local git
repository, with `--defaults --vcs-ref HEAD`, into a fresh folder:

- this template: a clone of the template repository's committed HEAD;
- one-file template: `copier.yml` with one question and `README.md.jinja`, at the
  repository root (the floor of the target);
- diagnostics, to split the gap: the same one-file template under
  `_subdirectory` (as this template is laid out), and a "static" template that
  renders byte for byte the project this template generates, from the same
  paths, without any Jinja logic (copier's cost for that many files and bytes).

Target 1s is this template against that static template: what the template's own
Jinja (compiling it, parsing `models`, rendering) adds to copier's cost of
writing the project.

With COPY_BASE_REF set to a commit, the template at that commit is copied too,
interleaved with the rest: the before and after of a change to the template,
measured under the same load (each against the same static template).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path

from _common import (
    Row,
    copy,
    interleave,
    median,
    minimal_template,
    run_benchmark,
    scratch_dir,
    static_template,
    subdirectory_template,
    template_clone,
    timed,
)

LIMIT = 1.3
BASE_REF = os.environ.get("COPY_BASE_REF")


def measure(repetitions: int) -> list[Row]:
    work = scratch_dir("copy")
    try:
        template = template_clone(work / "template")
        sources = {
            "template": template,
            "minimal": minimal_template(work / "minimal"),
            "subdirectory": subdirectory_template(work / "subdirectory"),
            "static": static_template(
                work / "static", copy(template, work / "probe" / "my-app")
            ),
        }
        if BASE_REF:
            base = template_clone(work / "base")
            subprocess.run(
                ["git", "checkout", "--quiet", BASE_REF], cwd=base, check=True
            )
            sources["base"] = base
        numbers = itertools.count()

        def case(source: Path):
            def run() -> float:
                destination = work / f"out-{next(numbers)}" / "my-app"
                elapsed = timed(lambda: copy(source, destination))
                shutil.rmtree(destination.parent)
                return elapsed

            return run

        samples = interleave(
            {name: case(source) for name, source in sources.items()},
            repetitions,
            warmup=2,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t = {name: median(values) for name, values in samples.items()}
    common = {"unit": "x", "repetitions": repetitions}
    base_rows = [
        Row("1s base", f"the same, the template at {BASE_REF}",
            f"template at {BASE_REF}", t["base"], "static template", t["static"],
            t["base"] / t["static"], limit=None, **common),
    ] if BASE_REF else []  # fmt: skip
    return [
        *base_rows,
        Row("1", "`copier copy --defaults` (Python API, from a local git repo)",
            "this template", t["template"], "one-file template", t["minimal"],
            t["template"] / t["minimal"], limit=LIMIT, **common),
        Row("1 diag", "copier's cost for the same output files, no Jinja logic",
            "static template", t["static"], "one-file template", t["minimal"],
            t["static"] / t["minimal"], limit=None, **common),
        Row("1s", "`copier copy --defaults`: the template's own Jinja work (compiling "
            "it, parsing `models`), against a static template writing the same files",
            "this template", t["template"], "static template", t["static"],
            t["template"] / t["static"], limit=LIMIT, **common),
        Row("1 diag", "one-file template under `_subdirectory` (no `.git` walk)",
            "subdirectory", t["subdirectory"], "one-file template", t["minimal"],
            t["subdirectory"] / t["minimal"], limit=None, **common),
    ]  # fmt: skip


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Target 1: copy time vs copier's floor",
        measure,
        repetitions=15,
    )
