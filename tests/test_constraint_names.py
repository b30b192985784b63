"""The constraint and index names the schema document holds (which the initial
revision writes and the collision check compares) are those SQLAlchemy gives the
same schema under the NAMING_CONVENTION of the generated model_base.py. In-process:
the document's tables are built as plain `Table`s on a MetaData with that
convention, and SQLAlchemy names them."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    UniqueConstraint,
)

from tests.jinja_env import answered, include_value, parse, render, template_environment
from tests.model_sets import KEY_VARIANTS, MODEL_SETS

MODEL_BASE = "template/src/{{ package_name }}/models/model_base.py.jinja"


def generated_convention(document: dict[str, Any]) -> dict[str, str]:
    """NAMING_CONVENTION as the generated model_base.py writes it."""
    source = (
        template_environment()
        .get_template(MODEL_BASE)
        .render(package_name="app", schema=document)
    )
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.AnnAssign)
            and ast.unparse(node.target) == "NAMING_CONVENTION"
        ):
            assert node.value is not None
            convention: dict[str, str] = ast.literal_eval(node.value)
            return convention
    raise AssertionError("model_base.py defines no NAMING_CONVENTION")


def names_sqlalchemy_gives(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(table, name) of every constraint and index of the document's schema,
    named by SQLAlchemy through the generated convention."""
    metadata = MetaData(naming_convention=generated_convention(document))
    for model in document["models"]:
        items: list[Any] = [Column("id", Integer, primary_key=True)]
        for field in model["fields"]:
            target = (
                [ForeignKey(f"{field['target_table']}.id")]
                if field["kind"] == "ref"
                else []
            )
            items.append(
                Column(
                    field["column"],
                    Integer,
                    *target,
                    unique=field["unique"] and not field["index"],
                    index=field["index"],
                )
            )
            for check in field.get("check_names", {}).values():
                items.append(CheckConstraint("1 = 1", name=check))
        for composite in model["composites"]:
            kind = UniqueConstraint if composite["kind"] == "unique" else Index
            items.append(
                kind(*composite["columns"])
                if kind is UniqueConstraint
                else Index(None, *composite["columns"])
            )
        Table(model["table"], metadata, *items)
    for association in document["association_tables"]:
        Table(
            association["table"],
            metadata,
            Column(
                association["source_column"],
                ForeignKey(f"{association['source_table']}.id"),
                primary_key=True,
            ),
            Column(
                association["target_column"],
                ForeignKey(f"{association['target_table']}.id"),
                primary_key=True,
                index=True,
            ),
        )
    return {
        (table.name, str(item.name))
        for table in metadata.tables.values()
        for item in [*table.constraints, *table.indexes]
    }


def names_the_document_holds(document: dict[str, Any]) -> set[tuple[str, str]]:
    names = set()
    for model in document["models"]:
        table = model["table"]
        names.add((table, model["primary_key_name"]))
        for field in model["fields"]:
            names |= {(table, name) for name in field["constraint_names"].values()}
        names |= {(table, composite["name"]) for composite in model["composites"]}
    for association in document["association_tables"]:
        names |= {
            (association["table"], association[key])
            for key in (
                "primary_key_name",
                "source_foreign_key_name",
                "target_foreign_key_name",
                "index_name",
            )
        }
    return names


@pytest.mark.parametrize("model_set", sorted({**MODEL_SETS, **KEY_VARIANTS}))
def test_the_document_names_constraints_as_the_generated_convention_does(
    model_set: str,
) -> None:
    document = parse(*answered({**MODEL_SETS, **KEY_VARIANTS}[model_set]))
    assert not document["errors"]
    assert names_the_document_holds(document) == names_sqlalchemy_gives(document)


def test_deferred_foreign_keys_carry_the_name_of_their_field() -> None:
    document = parse({"Egg": "hen:Hen?", "Hen": "egg:Egg?"}, "sqlite")
    [deferred] = document["deferred_foreign_keys"]
    fields = [field for model in document["models"] for field in model["fields"]]
    by_column = {
        (field["column"], field.get("target_table")): field for field in fields
    }
    field = by_column[(deferred["column"], deferred["target_table"])]
    assert deferred["name"] == field["constraint_names"]["foreign_key"]


def test_the_longest_table_and_field_give_names_within_the_limit() -> None:
    """MAX_TABLE leaves room for the longest name one column gets: a
    reference's `<field>_id` indexed, unique or a foreign key, a scalar's
    CHECK `<field>_min`. Composite and association names are checked one by
    one by the parser."""
    limits = {
        name: include_value("language", name)
        for name in ("MAX_TABLE", "MAX_FIELD", "MAX_NAME")
    }
    table = "t" * limits["MAX_TABLE"]
    field = "c" * limits["MAX_FIELD"]
    column = f"{field}_id"
    for kind, columns in [
        ("pk", ["id"]),
        ("ix", [column]),
        ("uq", [column]),
        ("fk", [column]),
        ("ck", [f"{field}_min"]),
    ]:
        name = render(
            "{% from 'includes/constraint_names.jinja' import constraint_name %}"
            "{{ constraint_name(kind, table, columns) }}",
            kind=kind,
            table=table,
            columns=columns,
        )
        assert len(name.encode()) <= limits["MAX_NAME"], name
