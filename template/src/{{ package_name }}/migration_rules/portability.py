"""Revision rules that make what autogenerate writes run up and down on SQLite and
PostgreSQL alike, whichever database the revision was made on."""

from typing import Any

from alembic.operations.ops import (
    AlterColumnOp,
    DowngradeOps,
    DropColumnOp,
    DropConstraintOp,
    DropTableOp,
    ModifyTableOps,
    UpgradeOps,
)
from alembic.runtime.migration import MigrationContext
from alembic_postgresql_enum.add_create_type_false import add_create_type_false
from alembic_postgresql_enum.add_postgres_using_to_text import (
    PostgresUsingAlterColumnOp,
)
from alembic_postgresql_enum.operations.create_enum import CreateEnumOp
from alembic_postgresql_enum.operations.drop_enum import DropEnumOp
from sqlalchemy import (
    BLOB,
    DATETIME,
    DOUBLE,
    REAL,
    Boolean,
    Column,
    DateTime,
    DefaultClause,
    Double,
    Enum,
    ForeignKeyConstraint,
    LargeBinary,
    MetaData,
    false,
    inspect,
    make_url,
    true,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

# For the SQL of PostgreSQL casts, on any project: no driver is loaded.
postgresql_dialect: Dialect = make_url("postgresql://").get_dialect()()


def drop_tables_last(upgrade: UpgradeOps) -> None:
    """Drop removed tables after every other change (the foreign keys that point
    at them go first), then the enum types they leave unused.

    Foreign keys between removed tables are dropped as changes of their own,
    before the tables: the tables then drop in any order, references in a
    cycle included, and the downgrade creates them all before adding the keys.
    """
    drops = {op.table_name: op for op in upgrade.ops if isinstance(op, DropTableOp)}
    if not drops:
        return
    unlinks: list[ModifyTableOps] = []
    for name, op in sorted(drops.items()):
        keys = [
            key
            for key in op.to_table().foreign_key_constraints
            if key.name
            and {element.target_fullname.split(".")[0] for element in key.elements}
            & (drops.keys() - {name})
        ]
        if not keys or op._reverse is None:
            continue
        names = {key.name for key in keys}
        op._reverse.columns = [
            item
            for item in op._reverse.columns
            if not (isinstance(item, ForeignKeyConstraint) and item.name in names)
        ]
        drop_keys = [DropConstraintOp.from_constraint(key) for key in keys]
        unlinks.append(ModifyTableOps(name, drop_keys))
    enum_drops = [op for op in upgrade.ops if isinstance(op, DropEnumOp)]
    others = [op for op in upgrade.ops if not isinstance(op, DropTableOp | DropEnumOp)]
    upgrade.ops[:] = [*others, *unlinks, *(drops[name] for name in sorted(drops))]
    upgrade.ops.extend(enum_drops)


# What SQLite reflection calls a column type -> the type this project stores there.
_PORTABLE_TYPES: dict[type[TypeEngine[Any]], TypeEngine[Any]] = {
    DATETIME: DateTime(timezone=True),
    sqlite.DATETIME: DateTime(timezone=True),
    BLOB: LargeBinary(),
    DOUBLE: Double(),
    REAL: Double(),
}


def use_portable_types(upgrade: UpgradeOps) -> None:
    """Write the columns a SQLite downgrade recreates from reflection with types
    and defaults PostgreSQL knows too (`DATETIME`, `BLOB` and `DOUBLE` are
    SQLite's names; a boolean default reads back as 1 or 0 there)."""

    def portable(type_: Any) -> Any:
        return _PORTABLE_TYPES.get(type(type_), type_)

    def make_portable(column: Column[Any]) -> None:
        column.type = portable(column.type)
        default = portable_default(column.type, column.server_default)
        if default is not column.server_default:
            column.server_default = DefaultClause(default)

    for op in upgrade.ops:
        if isinstance(op, DropTableOp) and op._reverse is not None:
            for column in op._reverse.columns:
                if isinstance(column, Column):
                    make_portable(column)
        if isinstance(op, ModifyTableOps):
            for change in op.ops:
                if isinstance(change, DropColumnOp) and change._reverse is not None:
                    make_portable(change._reverse.column)
                if isinstance(change, AlterColumnOp):
                    change.existing_type = portable(change.existing_type)
                    change.existing_server_default = portable_default(
                        change.existing_type, change.existing_server_default
                    )


def portable_default(type_: Any, default: Any) -> Any:
    """A boolean column's 1 or 0 default as true() or false(): PostgreSQL
    refuses a number as a boolean default."""
    argument = getattr(default, "arg", default)
    text = str(getattr(argument, "text", argument)).strip("'\"()")
    if isinstance(type_, Boolean) and text in {"1", "0"}:
        return true() if text == "1" else false()
    return default


def create_enum_types_portably(
    migration: MigrationContext, upgrade: UpgradeOps, target_metadata: MetaData
) -> None:
    """Make a revision autogenerated on SQLite create (and its downgrade drop) the
    PostgreSQL enum types it introduces, as one made on PostgreSQL does, so the
    project's migrations keep working if it moves to PostgreSQL.

    SQLite has no enum types to compare, so the library steps aside there: an
    enum type is new when none of the columns that use it exist yet, or when a
    column that was not an enum becomes one.
    """
    inspector = inspect(migration.bind)
    existing = {
        (table, column["name"])
        for table in inspector.get_table_names()
        for column in inspector.get_columns(table)
    }
    users: dict[str, list[tuple[str, str]]] = {}
    values: dict[str, tuple[str, ...]] = {}
    for table in target_metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Enum) and column.type.name:
                users.setdefault(column.type.name, []).append((table.name, column.name))
                values[column.type.name] = tuple(column.type.enums)
    new_types = {
        name for name, columns in users.items() if existing.isdisjoint(columns)
    }
    for op in upgrade.ops:
        for change in op.ops if isinstance(op, ModifyTableOps) else []:
            if (
                isinstance(change, AlterColumnOp)
                and isinstance(change.modify_type, Enum)
                and not isinstance(change.existing_type, Enum)
                and change.modify_type.name
            ):
                new_types.add(change.modify_type.name)
    if not new_types:
        return
    add_create_type_false(upgrade)
    # The dialect's own default schema: the revision names none.
    schema = str(migration.dialect.default_schema_name)
    upgrade.ops[:0] = [
        CreateEnumOp(name=name, schema=schema, enum_values=values[name])
        for name in sorted(new_types)
    ]


def cast_explicitly(ops: UpgradeOps | DowngradeOps) -> None:
    """Tell PostgreSQL how to convert a column whose type changes: it converts
    only what it has an automatic cast for (not text to an enum, say)."""
    for op in ops.ops:
        for change in op.ops if isinstance(op, ModifyTableOps) else []:
            if isinstance(change, AlterColumnOp) and change.modify_type is not None:
                quote = postgresql_dialect.identifier_preparer.quote
                target = change.modify_type.compile(dialect=postgresql_dialect)
                using = f"{quote(change.column_name)}::{target}"
                change.kw.setdefault("postgresql_using", using)
                # The library's subclass is what writes postgresql_using out.
                change.__class__ = PostgresUsingAlterColumnOp
