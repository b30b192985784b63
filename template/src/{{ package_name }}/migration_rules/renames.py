"""Renames keep their data.

Autogenerate compares names: a renamed field is a column dropped and another
added, a renamed model a table dropped and another created, and the rows go with
the drop. The models language records the former name for the update that
renames (`headline:str{80}:was=title`, `was(Post)`); the models carry it as
`info={"renamed_from": ...}` on the column or the table, and this rule turns the
pair into `op.alter_column(..., new_column_name=...)` or `op.rename_table(...)`.
The names that follow from the naming convention (indexes, unique, CHECK and
foreign-key constraints) are renamed with them, and on PostgreSQL the primary
key, the id sequence and the enum types (`type_renamed_from`), so that `alembic
check` is clean after the upgrade and a model may take the former name later.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from alembic.autogenerate import renderers
from alembic.autogenerate.api import AutogenContext
from alembic.operations.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableOp,
    MigrateOperation,
    ModifyTableOps,
    RenameTableOp,
    UpgradeOps,
)
from alembic_postgresql_enum.operations.create_enum import CreateEnumOp
from alembic_postgresql_enum.operations.drop_enum import DropEnumOp
from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    Enum,
    ForeignKeyConstraint,
    Index,
    MetaData,
    Table,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.engine import Inspector
from sqlalchemy.sql.elements import conv

from ..models.column_types import is_sqlite_type_check
from .existing_rows import quote
from .portability import OnSqliteOnly

RENAMED_FROM = "renamed_from"
TYPE_RENAMED_FROM = "type_renamed_from"


class RenameColumnOp(AlterColumnOp):
    """`alter_column(..., new_column_name=...)`, undone by renaming it back
    (Alembic's own reverse keeps the name)."""

    def reverse(self) -> "RenameColumnOp":
        assert self.modify_name is not None
        return RenameColumnOp(
            self.table_name,
            self.modify_name,
            modify_name=self.column_name,
            existing_type=self.existing_type,
            existing_nullable=self.existing_nullable,
            existing_server_default=self.existing_server_default,
        )


class RenameTableBackOp(RenameTableOp):
    """`op.rename_table(old, new)`, undone by renaming it back."""

    def reverse(self) -> "RenameTableBackOp":
        return RenameTableBackOp(self.new_table_name, self.table_name)


@renderers.dispatch_for(RenameTableBackOp)
def render_rename_table(autogen: AutogenContext, op: RenameTableBackOp) -> str:
    return f"op.rename_table({op.table_name!r}, {op.new_table_name!r})"


@dataclass
class PostgresqlRenames(MigrateOperation):
    """Names only PostgreSQL keeps apart from the table (a primary key's, an id
    sequence's, an enum type's): `(kind, old, new)`. SQLite has none of them,
    so the revision renames them on PostgreSQL only."""

    renames: list[tuple[str, str, str]]

    def reverse(self) -> "PostgresqlRenames":
        return PostgresqlRenames(
            [(kind, new, old) for kind, old, new in reversed(self.renames)]
        )

    def statements(self) -> Iterator[str]:
        for kind, old, new in self.renames:
            if kind == "index":
                # A primary key's index: renaming it renames the constraint. A
                # table a downgrade made on SQLite recreated has PostgreSQL's
                # own name for it instead.
                yield f"ALTER INDEX IF EXISTS {quote(old)} RENAME TO {quote(new)}"
            elif kind == "sequence":
                yield f"ALTER SEQUENCE IF EXISTS {quote(old)} RENAME TO {quote(new)}"
            else:
                yield f"ALTER TYPE {quote(old)} RENAME TO {quote(new)}"


@renderers.dispatch_for(PostgresqlRenames)
def render_postgresql_renames(
    autogen: AutogenContext, op: PostgresqlRenames
) -> list[str]:
    return [
        'if op.get_bind().dialect.name == "postgresql":',
        *(f"op.execute({statement!r})" for statement in op.statements()),
        "",
    ]


@dataclass
class Renames:
    """What `rename` did: the enum types it renamed (no longer new), and what it
    noticed."""

    types: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def rename(connection: Connection, upgrade: UpgradeOps, metadata: MetaData) -> Renames:
    """Turn the drops and adds of renamed tables and columns into renames."""
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    done = Renames()
    renamed_tables: dict[str, str] = {}
    postgresql: list[tuple[str, str, str]] = []
    drops = {op.table_name: op for op in upgrade.ops if isinstance(op, DropTableOp)}
    for op in list(upgrade.ops):
        if not isinstance(op, CreateTableOp):
            continue
        table = metadata.tables.get(op.table_name)
        former = None if table is None else table.info.get(RENAMED_FROM)
        if table is None or former is None:
            continue
        if former not in drops:
            if former not in existing:
                done.warnings.append(
                    f"{table.name} was {former}, which the database does not hold: "
                    "created as a new, empty table"
                )
            continue
        renamed_tables[former] = table.name
        # The indexes autogenerate drops with the former table and creates with
        # the new one: renamed below instead.
        upgrade.ops[:] = [
            other
            for other in upgrade.ops
            if not (
                isinstance(other, ModifyTableOps)
                and other.table_name in (former, table.name)
            )
        ]
        index = upgrade.ops.index(op)
        upgrade.ops[index : index + 1] = [
            RenameTableBackOp(former, table.name),
            *_table_names(inspector, former, table, postgresql, done),
        ]
        upgrade.ops.remove(drops[former])
    for op in list(upgrade.ops):
        if isinstance(op, ModifyTableOps):
            _keep_foreign_keys(op, renamed_tables)
            index = upgrade.ops.index(op)
            upgrade.ops[index : index + 1] = _rename_columns(
                op, metadata, postgresql, done
            )
    _rename_enum_types(upgrade, postgresql, done)
    if postgresql:
        upgrade.ops.append(PostgresqlRenames(postgresql))
    return done


def _column_renames(table: Table, columns: set[str]) -> dict[str, str]:
    """Former name -> name, of the columns of `table` renamed from one in `columns`."""
    return {
        column.info[RENAMED_FROM]: column.name
        for column in table.columns
        if column.info.get(RENAMED_FROM) in columns and column.name not in columns
    }


def _table_names(
    inspector: Inspector,
    former: str,
    table: Table,
    postgresql: list[tuple[str, str, str]],
    done: Renames,
) -> Iterator[MigrateOperation]:
    """What renaming `former` to `table` needs besides the table's own name: its
    renamed columns, and the names the convention gives, as they were (on the
    former columns) dropped and as they are now created."""
    reflected = {column["name"]: column for column in inspector.get_columns(former)}
    names = _column_renames(table, set(reflected))
    kept = {names.get(name, name) for name in reflected}
    now = {column.name for column in table.columns}
    if kept != now:
        done.warnings.append(
            f"{table.name} was {former}: its other changes "
            f"({', '.join(sorted(kept ^ now))}) are for the next "
            "autogenerate, once this revision is applied"
        )
    scratch = Table(table.name, MetaData(), *(Column(name) for name in reflected))

    def old_columns(columns: list[Any]) -> list[str]:
        return [str(column) for column in columns]

    def new_columns(columns: list[Any]) -> list[str]:
        return [names.get(str(column), str(column)) for column in columns]

    dropped: list[MigrateOperation] = []
    created: list[MigrateOperation] = []
    by_columns = {
        (tuple(column.name for column in index.columns), bool(index.unique)): index
        for index in table.indexes
    }
    for found in inspector.get_indexes(former):
        if found.get("duplicates_constraint") or not found["name"]:
            continue
        signature = (tuple(new_columns(found["column_names"])), bool(found["unique"]))
        index = by_columns.get(signature)
        if index is not None and index.name != found["name"]:
            old = Index(
                conv(found["name"]),
                *(scratch.c[c] for c in old_columns(found["column_names"])),
                unique=bool(found["unique"]),
            )
            dropped.append(DropIndexOp.from_index(old))
            created.append(CreateIndexOp.from_index(index))
    constraints = {
        (
            type(constraint),
            tuple(column.name for column in constraint.columns),
        ): constraint
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint | ForeignKeyConstraint)
    }
    for unique in inspector.get_unique_constraints(former):
        new = constraints.get(
            (UniqueConstraint, tuple(new_columns(unique["column_names"])))
        )
        if new is not None and unique["name"] and new.name != unique["name"]:
            old_unique = UniqueConstraint(
                *old_columns(unique["column_names"]), name=conv(unique["name"])
            )
            scratch.append_constraint(old_unique)
            dropped.append(DropConstraintOp.from_constraint(old_unique))
            created.append(CreateUniqueConstraintOp.from_constraint(new))
    for key in inspector.get_foreign_keys(former):
        new = constraints.get(
            (ForeignKeyConstraint, tuple(new_columns(key["constrained_columns"])))
        )
        if (
            isinstance(new, ForeignKeyConstraint)
            and key["name"]
            and (new.name != key["name"])
        ):
            for element in new.elements:
                target = element.target_fullname.rsplit(".", 1)[0]
                if target not in scratch.metadata.tables:
                    Table(target, scratch.metadata, Column(element.column.name))
            old_key = ForeignKeyConstraint(
                old_columns(key["constrained_columns"]),
                [element.target_fullname for element in new.elements],
                name=conv(key["name"]),
                ondelete=new.ondelete,
            )
            scratch.append_constraint(old_key)
            dropped.append(DropConstraintOp.from_constraint(old_key))
            created.append(CreateForeignKeyOp.from_constraint(new))
    checks = {
        str(check["name"]): check for check in inspector.get_check_constraints(former)
    }
    for check in table.constraints:
        if not isinstance(check, CheckConstraint) or not isinstance(check.name, str):
            continue
        if is_sqlite_type_check(check.name):
            continue  # see _sqlite_type_checks
        was = _former_check_name(check.name, former, table, names)
        if was != check.name and was in checks:
            old_check = CheckConstraint(checks[was]["sqltext"], name=conv(was))
            scratch.append_constraint(old_check)
            dropped.append(DropConstraintOp.from_constraint(old_check))
            created.append(CreateCheckConstraintOp.from_constraint(check))
    renames = [
        RenameColumnOp(
            table.name,
            old,
            modify_name=new,
            existing_type=table.c[new].type,
            existing_nullable=table.c[new].nullable,
        )
        for old, new in sorted(names.items())
    ]
    yield from in_steps(
        table.name,
        dropped,
        renames,
        created,
        _sqlite_type_checks(table, former, names),
    )
    primary = inspector.get_pk_constraint(former).get("name")
    if primary and table.primary_key.name and primary != table.primary_key.name:
        postgresql.append(("index", primary, str(table.primary_key.name)))
    counter = table.autoincrement_column
    if counter is not None:
        old_sequence = f"{former}_{counter.name}_seq"
        postgresql.append(
            ("sequence", old_sequence, f"{table.name}_{counter.name}_seq")
        )
    postgresql.extend(
        rename for column in table.columns if (rename := _enum_type(column))
    )


def _former_check_name(
    name: str, former: str, table: Table, columns: dict[str, str]
) -> str:
    """The name a CHECK constraint of the naming convention
    (`ck_<table>_<column>_min`) had before its table and columns were renamed."""
    convention = str(table.metadata.naming_convention["ck"])
    prefix = convention % {"table_name": table.name, "constraint_name": ""}
    if not name.startswith(prefix):
        return name
    rest = name[len(prefix) :]
    for old, new in columns.items():
        if rest.startswith(f"{new}_"):
            rest = old + rest[len(new) :]
            break
    return convention % {"table_name": former, "constraint_name": rest}


def _sqlite_type_checks(
    table: Table, former: str, columns: dict[str, str]
) -> tuple[list[MigrateOperation], list[MigrateOperation]]:
    """The CHECKs that stand in on SQLite for the types of renamed columns, or of
    a renamed table's columns (see `is_sqlite_type_check`): the former ones
    dropped, the new ones created. A CHECK keeps its name and its condition
    through a rename, naming the former column. Taken from the models rather
    than the database, so that a revision made on PostgreSQL, which has none,
    renames them on SQLite too."""
    scratch = Table(table.name, MetaData())
    drops: list[MigrateOperation] = []
    creations: list[MigrateOperation] = []
    for check in table.constraints:
        if not isinstance(check, CheckConstraint) or not is_sqlite_type_check(
            check.name
        ):
            continue
        was = _former_check_name(str(check.name), former, table, columns)
        if was == check.name:
            continue
        condition = str(check.sqltext)
        for old, new in columns.items():
            condition = condition.replace(f'"{new}"', f'"{old}"')
        old_check = CheckConstraint(condition, name=conv(was))
        scratch.append_constraint(old_check)
        drops.append(DropConstraintOp.from_constraint(old_check))
        creations.append(CreateCheckConstraintOp.from_constraint(check))
    return drops, creations


def in_steps(
    table: str,
    drops: Sequence[MigrateOperation],
    renames: Sequence[MigrateOperation],
    creations: Sequence[MigrateOperation],
    sqlite_type_checks: tuple[
        Sequence[MigrateOperation], Sequence[MigrateOperation]
    ] = ((), ()),
) -> Iterator[MigrateOperation]:
    """Drops of the former names, the column renames, then the creations under the
    new names, each a step of its own: a SQLite batch finds the columns of an
    index or a constraint it creates by the names they had when it began. The
    SQLite type CHECKs, made on SQLite only, go last among the drops and first
    among the creations (SQLite names the first CHECK a row fails: the type's,
    as on PostgreSQL)."""
    sqlite_drops, sqlite_creations = sqlite_type_checks
    for step, on_sqlite_only in (
        (drops, False),
        (sqlite_drops, True),
        (renames, False),
        (sqlite_creations, True),
        (creations, False),
    ):
        if step and on_sqlite_only:
            yield OnSqliteOnly([ModifyTableOps(table, list(step))])
        elif step:
            yield ModifyTableOps(table, list(step))


def _rename_columns(
    op: ModifyTableOps,
    metadata: MetaData,
    postgresql: list[tuple[str, str, str]],
    done: Renames,
) -> list[MigrateOperation]:
    """A column dropped and one added that names it as its former name become
    one renamed column, between the drops and the creations of the names that
    follow from it."""
    dropped = {c.column_name: c for c in op.ops if isinstance(c, DropColumnOp)}
    renames: list[MigrateOperation] = []
    names: dict[str, str] = {}
    for add in [c for c in op.ops if isinstance(c, AddColumnOp)]:
        former = add.column.info.get(RENAMED_FROM)
        if former is None:
            continue
        drop = dropped.get(former)
        if drop is None:
            done.warnings.append(
                f"{op.table_name}.{add.column.name} was {former}, which "
                f"{op.table_name} does not hold: added as a new column"
            )
            continue
        renames.append(
            RenameColumnOp(
                op.table_name,
                former,
                modify_name=add.column.name,
                existing_type=add.column.type,
                existing_nullable=add.column.nullable,
            )
        )
        names[former] = add.column.name
        op.ops.remove(add)
        op.ops.remove(drop)
        if rename := _enum_type(add.column):
            postgresql.append(rename)
    if not renames:
        return [op]
    table = metadata.tables[op.table_name]
    type_checks = _sqlite_type_checks(table, table.name, names)
    # Autogenerate's own drops and adds of them (on SQLite) give way.
    moved = {
        str(c.constraint_name)
        for c in (*type_checks[0], *type_checks[1])
        if isinstance(c, DropConstraintOp | CreateCheckConstraintOp)
    }
    op.ops = [
        c
        for c in op.ops
        if not (
            isinstance(c, DropConstraintOp | CreateCheckConstraintOp)
            and str(c.constraint_name) in moved
        )
    ]
    drops = [c for c in op.ops if isinstance(c, DropIndexOp | DropConstraintOp)]
    others = [c for c in op.ops if c not in drops]
    return list(in_steps(op.table_name, drops, renames, others, type_checks))


def _keep_foreign_keys(op: ModifyTableOps, renamed: dict[str, str]) -> None:
    """A foreign key to a renamed table follows the rename by itself (on SQLite
    and PostgreSQL alike): autogenerate's drop and create of it go. One dropped
    for another reason comes back, in the downgrade, while the table still has
    its new name."""
    drops = {
        c.constraint_name: c
        for c in op.ops
        if isinstance(c, DropConstraintOp) and c.constraint_type == "foreignkey"
    }
    for dropped in drops.values():
        back = dropped._reverse
        if isinstance(back, CreateForeignKeyOp) and back.referent_table in renamed:
            back.referent_table = renamed[back.referent_table]
    for create in [c for c in op.ops if isinstance(c, CreateForeignKeyOp)]:
        drop = drops.get(create.constraint_name)
        if drop is not None and create.referent_table in renamed.values():
            op.ops.remove(create)
            op.ops.remove(drop)


def _enum_type(column: Column[Any]) -> tuple[str, str, str] | None:
    """The rename of the enum type of a renamed column or table, if it has one."""
    former = column.info.get(TYPE_RENAMED_FROM)
    if former is None or not isinstance(column.type, Enum) or not column.type.name:
        return None
    return ("type", former, column.type.name)


def _rename_enum_types(
    upgrade: UpgradeOps, postgresql: list[tuple[str, str, str]], done: Renames
) -> None:
    """An enum type renamed with its column or table is no new type: the library's
    creation of it (and drop of the former) go."""
    renamed = {(old, new) for kind, old, new in postgresql if kind == "type"}
    done.types.update(new for _, new in renamed)
    olds = {old for old, _ in renamed}
    upgrade.ops[:] = [
        op
        for op in upgrade.ops
        if not (isinstance(op, CreateEnumOp) and op.name in done.types)
        and not (isinstance(op, DropEnumOp) and op.name in olds)
    ]
