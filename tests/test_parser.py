"""The models parser, in-process: the schema documents it makes of the suite's
model sets (snapshots under __snapshots__/, whose diff shows what a parser change
changed), the models answers it refuses, and the Python names it relies on.
Nothing here runs Copier: includes/schema.jinja is rendered in an environment
built as Copier builds its own (tests/jinja_env.py)."""

from __future__ import annotations

import keyword
import re
import sys
from typing import Any

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from tests.jinja_env import answered, errors, include_value, parse, render
from tests.model_sets import KEY_VARIANTS, MODEL_SETS
from tests.test_bad_input import PARSER_CASES
from tests.tooling import TEMPLATE_ROOT

# The 100-model set is left out: its document would be thousands of lines.
SNAPSHOT_SETS = {**MODEL_SETS, **KEY_VARIANTS}


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("model_set", sorted(SNAPSHOT_SETS))
def test_a_model_set_parses_to_its_recorded_schema_document(
    model_set: str, snapshot_json: SnapshotAssertion
) -> None:
    document = parse(*answered(SNAPSHOT_SETS[model_set]))

    assert document["errors"] == []
    assert document == snapshot_json


@pytest.mark.parametrize("model_set", sorted(SNAPSHOT_SETS))
def test_a_model_set_parses_alike_on_both_databases(model_set: str) -> None:
    models, _, primary_key, timestamps = answered(SNAPSHOT_SETS[model_set])

    assert parse(models, "postgresql", primary_key, timestamps) == parse(
        models, "sqlite", primary_key, timestamps
    )


@pytest.mark.parametrize(
    ("answers", "expected"), PARSER_CASES.values(), ids=PARSER_CASES.keys()
)
def test_a_bad_models_answer_is_refused_naming_the_value(
    answers: dict[str, Any], expected: list[str]
) -> None:
    problems = errors(*answered(answers))

    assert problems
    for text in expected:
        assert text in "\n".join(problems)


def test_the_python_keywords_are_those_of_this_python() -> None:
    assert include_value("python_names", "PY_KEYWORDS") == keyword.kwlist


def test_no_standard_library_module_of_this_python_can_name_the_package() -> None:
    public = {name for name in sys.stdlib_module_names if not name.startswith("_")}

    assert public - set(include_value("python_names", "STDLIB_MODULES")) == set()


def test_the_prompt_help_lists_every_type_and_modifier() -> None:
    config = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())
    help_text = " ".join(render(config["models"]["help"]).split())

    modifiers = include_value("language", "COLUMN_MODIFIERS") + include_value(
        "language", "REFERENCE_MODIFIERS"
    )
    for form in include_value("language", "TYPE_FORMS") + modifiers:
        assert form in help_text


def test_the_documented_types_are_those_the_parser_knows() -> None:
    guide = (TEMPLATE_ROOT / "docs" / "models-language.md").read_text()
    table = guide.split("## Types", 1)[1].split("##", 1)[0]
    documented = re.findall(r"^\| `([^`]+)` ", table, re.MULTILINE)

    assert sorted(form for form in documented if form != "<Model>") == sorted(
        include_value("language", "TYPE_FORMS")
    )


def test_unique_bounds_a_thousand_digits_apart_are_counted_exactly() -> None:
    # Counting the values between the bounds through floats overflowed.
    answer = {"Big": f"total:decimal{{1000,0}}:unique:min=0:max={'9' * 1000}"}

    assert errors(answer, "postgresql") == []


def test_a_json_field_is_typed_as_what_its_default_holds() -> None:
    # `=[]` stores an array: typed as a dict, mypy believed a mapping.
    document = parse(
        {"Doc": "tags:json=[] meta:json={} extra:json? raw:json?=[]"}, "sqlite"
    )

    annotations = {
        field["name"]: field["annotation"]
        for field in document["models"][0]["fields"]
        if field["type"] == "json"
    }
    assert annotations == {
        "tags": "list[Any]",
        "meta": "dict[str, Any]",
        "extra": "dict[str, Any]",
        "raw": "list[Any]",
    }


def test_a_rename_gives_the_former_database_names() -> None:
    document = parse(
        {
            "Author": "name:str",
            "Tag": "label:str",
            "Article": "was(Post) headline:str:was=title status:enum{a,b} "
            "writer:Author:was=author tags:Tag[] friends:Article[]:was=peers",
            "Book": "tags:Article[]",
        },
        "sqlite",
    )
    models = {model["name"]: model for model in document["models"]}
    article = models["Article"]
    fields = {field["name"]: field for field in article["fields"]}
    links = {link["name"]: link for link in article["many_to_many"]}

    assert article["renamed_from"] == "posts"
    assert fields["headline"]["renamed_from"] == "title"
    assert fields["status"]["type_renamed_from"] == "post_status"
    assert "renamed_from" not in fields["status"]
    assert fields["writer"]["renamed_from"] == "author_id"
    assert links["tags"]["table_renamed_from"] == "posts_tags"
    assert links["tags"]["source_column_renamed_from"] == "post_id"
    assert links["friends"]["table_renamed_from"] == "posts_peers"
    assert links["friends"]["target_column_renamed_from"] == "peers_id"
    (book_tags,) = models["Book"]["many_to_many"]
    assert book_tags["target_column_renamed_from"] == "post_id"
    assert "table_renamed_from" not in book_tags
