"""The schema diagram (a generated project's docs/schema.md) is valid Mermaid: the
diagram of every fixed model set, of the README's sample (which the docs show)
and of drawn answers, rendered by Mermaid itself in headless Chromium, all in
one page load (tests/mermaid.py).

The diagrams are rendered in-process from the template's includes, as `copier
copy` renders docs/schema.md; each generated project's own tests/test_diagram.py
proves that its `diagram` command draws the same bytes from the models'
metadata. Drawn answers come from GENERATIVE_SEED (printed on failure) and
DIAGRAM_EXAMPLES (answers per database, default 6). The whole check takes about
20 seconds, most of it Chromium's; the hundred-model set alone takes longer and
runs with DEEP=1.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.jinja_env import answered, parse, render
from tests.mermaid import Rendering, expected
from tests.mermaid import render as render_with_mermaid
from tests.model_sets import ALL_MODEL_SETS
from tests.strategies import models_answers, question_answers
from tests.tooling import TEMPLATE_ROOT

EXAMPLES = int(os.environ.get("DIAGRAM_EXAMPLES") or 6)
# Sets whose diagrams take Mermaid longer than the rest together (a hundred
# entities): rendered with DEEP=1, as their constructs are all in the others.
HEAVY = {"hundred_models"}
DEEP = os.environ.get("DEEP") == "1"
# The id xdist gives a run, shared by its workers (None without xdist).
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID")


def run_seed() -> int:
    """GENERATIVE_SEED, else a new seed: one for the whole run, as every xdist
    worker imports this module and must draw the same answers."""
    if os.environ.get("GENERATIVE_SEED"):
        return int(os.environ["GENERATIVE_SEED"])
    if RUN_ID is not None:
        return int(hashlib.sha256(RUN_ID.encode()).hexdigest(), 16) % 2**32
    return secrets.randbelow(2**32)


SEED = run_seed()
DATABASES = ["sqlite", "postgresql", "mariadb"]


def diagram(answers: dict[str, Any]) -> str:
    """The diagram `copier copy --defaults` with `answers` writes to docs/schema.md."""
    return render(
        "{% from 'includes/emit/diagram.jinja' import schema_diagram %}"
        "{{ schema_diagram(schema) }}",
        schema=parse(*answered(answers)),
    )


def mermaid_block(markdown: Path) -> str:
    """The `mermaid` block of a Markdown page."""
    found = re.search(
        r"^```mermaid\n(.*?)^```$", markdown.read_text(), re.DOTALL | re.MULTILINE
    )
    assert found is not None, f"{markdown} has no mermaid block"
    return found.group(1)


def readme_sample() -> dict[str, Any]:
    """The `models` answer the README shows."""
    block = re.search(
        r"```yaml\n(.*?)```", (TEMPLATE_ROOT / "README.md").read_text(), re.DOTALL
    )
    assert block is not None
    answers: dict[str, Any] = yaml.safe_load(block.group(1))
    return answers


def drawn_answers() -> list[dict[str, Any]]:
    """EXAMPLES answers per database, each drawn from a seed of its own."""
    drawn: list[dict[str, Any]] = []
    for number in range(EXAMPLES):
        for database in DATABASES:

            @seed(SEED + 2 * number + DATABASES.index(database))
            @settings(
                max_examples=1,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(
                database=st.just(database),
                models=models_answers(database),
                questions=question_answers(),
            )
            def draw(
                database: str,
                models: dict[str, str] | list[str],
                questions: dict[str, Any],
            ) -> None:
                drawn.append({"database": database, **questions, "models": models})

            draw()
    return drawn


@pytest.fixture(scope="module")
def renderings() -> dict[str, tuple[str, Rendering]]:
    """Every diagram under test, by name, with what Mermaid made of it."""
    answers = {
        **{
            f"set {name}": data
            for name, data in sorted(ALL_MODEL_SETS.items())
            if DEEP or name not in HEAVY
        },
        "readme sample": readme_sample(),
        **{f"drawn {number}": data for number, data in enumerate(drawn_answers())},
    }
    diagrams = {name: diagram(data) for name, data in answers.items()}
    results = render_with_mermaid(list(diagrams.values()))
    return {
        name: (text, result)
        for (name, text), result in zip(diagrams.items(), results, strict=True)
    }


def reproduction(name: str, text: str) -> str:
    return f"{name} (GENERATIVE_SEED={SEED} DIAGRAM_EXAMPLES={EXAMPLES}) draws:\n{text}"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.deep] if name in HEAVY else [])
        for name in sorted(ALL_MODEL_SETS)
    ],
)
def test_the_diagram_of_a_fixed_model_set_renders(
    renderings: dict[str, tuple[str, Rendering]], name: str
) -> None:
    text, rendering = renderings[f"set {name}"]

    assert rendering == expected(text), reproduction(name, text)


def test_the_diagrams_of_drawn_answers_render(
    renderings: dict[str, tuple[str, Rendering]],
) -> None:
    failures = [
        f"{reproduction(name, text)}\n{rendering}"
        for name, (text, rendering) in renderings.items()
        if name.startswith("drawn ") and rendering != expected(text)
    ]

    assert not failures, "\n\n".join(failures)


def test_blog_shop_draws_every_kind_of_relationship(
    renderings: dict[str, tuple[str, Rendering]],
) -> None:
    text, rendering = renderings["set blog_shop"]
    lines = set(text.splitlines())

    assert rendering == expected(text)
    assert '    posts }o..|| users : "author_id"' in lines  # many-to-one
    assert '    posts }o..o| users : "editor_id"' in lines  # nullable
    assert '    profiles |o..|| users : "user_id"' in lines  # one-to-one
    assert '    posts }o--o{ tags : "posts_tags"' in lines  # many-to-many
    assert '    users }o--o{ users : "users_follows"' in lines  # self many-to-many
    assert '    categories }o..o| categories : "parent_id"' in lines  # self
    assert "posts_tags {" not in text  # the link table is the line


def test_the_docs_show_the_readme_samples_diagram(
    renderings: dict[str, tuple[str, Rendering]],
) -> None:
    text, rendering = renderings["readme sample"]

    assert mermaid_block(TEMPLATE_ROOT / "docs" / "index.md") == text
    assert rendering == expected(text)
