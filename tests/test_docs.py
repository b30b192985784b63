"""The user guide in docs/ builds as an MkDocs site with no warnings, and the
commands it gives agree with the README's and with what CI runs."""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.jinja_env import answered, errors

REPOSITORY = Path(__file__).resolve().parent.parent


def test_the_documentation_site_builds_without_warnings(tmp_path: Path) -> None:
    # --strict turns every warning (a broken link or anchor, a page missing from
    # the nav, a bad config value) into a failed build.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=REPOSITORY,
        # Keeps Material's end-of-life banner out of a failure report.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def console_commands(markdown: Path) -> list[str]:
    """The commands of the `console` code blocks of a Markdown file."""
    blocks = re.findall(r"```console\n(.*?)```", markdown.read_text(), re.DOTALL)
    lines = [block.replace("\\\n", " ") for block in blocks]
    return [line.strip() for block in lines for line in block.splitlines() if line]


def copy_sources(command: str) -> list[str]:
    """The template sources of the `copier copy` calls in a shell command."""
    sources = []
    for call in re.findall(r"copier copy ([^&|;]*)", command):
        words = shlex.split(call)
        arguments = []
        while words:
            word = words.pop(0)
            if word in {"--data", "--data-file", "--vcs-ref", "-d"}:
                words.pop(0)
            elif not word.startswith("-"):
                arguments.append(word)
        sources.append(arguments[0])
    return sources


def documented_commands() -> list[str]:
    pages = [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").glob("*.md"))]
    return [command for page in pages for command in console_commands(page)]


def test_the_docs_home_gives_the_readmes_two_commands() -> None:
    readme = console_commands(REPOSITORY / "README.md")
    home = console_commands(REPOSITORY / "docs" / "index.md")

    assert readme[:2] == home[:2]


def test_ci_runs_the_test_command_the_readme_gives() -> None:
    test_command = console_commands(REPOSITORY / "README.md")[1]
    ci_script = (REPOSITORY / ".ci" / "run").read_text().strip().splitlines()

    assert ci_script[-1] == test_command


def test_no_documented_copy_names_the_template_by_a_relative_path() -> None:
    sources = [s for c in documented_commands() for s in copy_sources(c)]

    assert sources
    for source in sources:
        assert not source.startswith("."), source


# How Copier introduces a validator's message when an answer came with --data.
COPIER_PREFIX = "ValueError: Validation error for question 'models': "


def error_examples(markdown: Path) -> list[tuple[list[str], list[str]]]:
    """The "Errors you may see" examples of a page: the `--data` lines of each
    `console` block, and the `text` block after it (the messages they give)."""
    section = markdown.read_text().split("## Errors you may see", 1)[1]
    pairs = re.findall(r"```console\n(.*?)```\n```text\n(.*?)```", section, re.DOTALL)
    return [
        (commands.splitlines(), messages.removeprefix(COPIER_PREFIX).splitlines())
        for commands, messages in pairs
    ]


def answers_of(command: str) -> dict[str, object]:
    """The answers of the `--data key=value` options of one documented command,
    typed as Copier types them (`models` is YAML, `timestamps` a bool)."""
    words = shlex.split(command)
    options = [value for flag, value in itertools.pairwise(words) if flag == "--data"]
    answers: dict[str, object] = {}
    for option in options:
        name, value = option.split("=", 1)
        answers[name] = (
            yaml.safe_load(value) if name in {"models", "timestamps"} else value
        )
    return answers


MODELS_LANGUAGE = REPOSITORY / "docs" / "models-language.md"


@pytest.mark.parametrize(
    ("commands", "messages"),
    error_examples(MODELS_LANGUAGE),
    ids=[f"example {n}" for n, _ in enumerate(error_examples(MODELS_LANGUAGE), 1)],
)
def test_a_documented_error_example_gives_the_documented_messages(
    commands: list[str], messages: list[str]
) -> None:
    # Rendered in-process, as copier.yml's validator renders them: the page shows
    # what the template says today, not what it said when the page was written.
    given = [
        line for command in commands for line in errors(*answered(answers_of(command)))
    ]

    assert given == messages
