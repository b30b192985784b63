"""Revision rules that look at the rows a change meets, in the database that
autogenerate compares against.

A change the rows can take as they are passes. Where one safe recipe exists it is
written into the revision (NULLs under a new NOT NULL filled with the column's
default first). Where only the user can say what the rows become, the revision is
not written: the message names the table, the column, the number of rows and the
ways out, one of which is an `-x` argument that puts the decision in the revision:

    alembic -x fill=posts.slug=draft revision --autogenerate -m "..."
    alembic -x accept_loss=posts.title revision --autogenerate -m "..."

What the rules notice but need no decision for (a drop of a column or table that
holds data, a drop and an add that may be a rename) becomes a warning, on the
terminal and at the top of the revision.
"""

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from alembic.operations.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropTableOp,
    ExecuteSQLOp,
    MigrateOperation,
    ModifyTableOps,
    UpgradeOps,
)
from alembic.util import CommandError
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Enum,
    Integer,
    MetaData,
    Numeric,
    String,
    Time,
    Uuid,
    inspect,
    make_url,
)
from sqlalchemy.sql.elements import ClauseElement, False_, TextClause, True_
from sqlalchemy.types import TypeEngine

from ..models.column_types import ENUM_CHECK, LENGTH_CHECK

FILL = "fill"
ACCEPT_LOSS = "accept_loss"

# Asks the user for a decision; the answer, or "" for none.
Ask = Callable[[str], str]


@dataclass(frozen=True)
class Decisions:
    """What the user said existing rows become: `fill` values and accepted losses,
    keyed by `table.column` (`table.a,b` for a constraint over several columns)."""

    fill: dict[str, str] = field(default_factory=dict)
    accept_loss: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, arguments: Iterable[str]) -> "Decisions":
        """Read `fill=table.column=value` and `accept_loss=table.column` from
        Alembic's `-x` arguments; other `-x` arguments are left to others."""
        fill: dict[str, str] = {}
        losses: set[str] = set()
        for argument in arguments:
            kind, _, rest = argument.partition("=")
            if kind == FILL:
                target, equals, value = rest.partition("=")
                if not equals or "." not in target:
                    msg = f"-x {argument}: write it fill=<table>.<column>=<value>"
                    raise CommandError(msg)
                fill[target] = value
            elif kind == ACCEPT_LOSS:
                if "." not in rest:
                    msg = f"-x {argument}: write it accept_loss=<table>.<column>"
                    raise CommandError(msg)
                losses.add(rest)
        return cls(fill, frozenset(losses))


@dataclass
class Problem:
    """Rows a change cannot take as they are, and what each way out writes."""

    target: str
    rows: int
    what: str
    fill: Callable[[str], None] | None = None
    loss: Callable[[], None] | None = None
    loss_means: str = ""
    other_ways: str = ""

    def ways_out(self) -> Iterator[str]:
        if self.fill is not None:
            yield f"-x {FILL}={self.target}=VALUE gives them VALUE"
        if self.loss is not None:
            yield f"-x {ACCEPT_LOSS}={self.target} {self.loss_means}"
        if self.other_ways:
            yield self.other_ways


# The revision runs on every database: a name any of them reserves is quoted
# (MariaDB reads double quotes so too: its engines set ANSI_QUOTES).
_PREPARERS = [
    make_url(f"{backend}://").get_dialect()().identifier_preparer
    for backend in ("sqlite", "postgresql", "mariadb")
]


def quote(name: str) -> str:
    """An identifier as every database reads it."""
    if all(preparer.quote(name) == name for preparer in _PREPARERS):
        return name
    return '"' + name.replace('"', '""') + '"'


def literal(value: str, column: Column[Any] | None) -> str:
    """`value` as a SQL literal both databases convert to the column's type."""
    if column is not None and isinstance(column.type, Boolean):
        if value.lower() not in {"true", "false"}:
            msg = f"{column.table.name}.{column.name} is a bool: give true or false, not {value!r}"
            raise CommandError(msg)
        return value.upper()
    return "'" + value.replace("'", "''") + "'"


def default_sql(column: Column[Any]) -> str | None:
    """The SQL of the column's server default, written so both databases run it."""
    default = getattr(column.server_default, "arg", None)
    if default is None:
        return None
    if isinstance(default, str):
        return literal(default, column)
    if isinstance(default, True_ | False_):
        return "TRUE" if isinstance(default, True_) else "FALSE"
    if isinstance(default, TextClause):
        return default.text
    if isinstance(default, ClauseElement):
        return str(default.compile())
    return None


class ExistingRows:
    """Reviews an autogenerated upgrade against the rows of the database it was
    compared with; `apply` then writes the decided statements into it."""

    def __init__(
        self,
        connection: Connection,
        metadata: MetaData,
        decisions: Decisions,
        ask: Ask | None = None,
    ) -> None:
        self.connection = connection
        self.metadata = metadata
        self.decisions = decisions
        self.ask = ask
        inspector = inspect(connection)
        self.columns = {
            table: {column["name"]: column for column in inspector.get_columns(table)}
            for table in inspector.get_table_names()
        }
        self.first: list[MigrateOperation] = []
        self.rewrites: list[Callable[[UpgradeOps], None]] = []
        self.warnings: list[str] = []
        # Where the SQL below is not the same on every database: MariaDB's
        # LENGTH() counts bytes and its CAST knows no TEXT. (Its identifiers
        # take double quotes as the others' do: the engine sets ANSI_QUOTES.)
        mariadb = connection.dialect.name == "mariadb"
        self.length = "CHAR_LENGTH" if mariadb else "LENGTH"
        self.text = "CHAR" if mariadb else "TEXT"

    # -- the review --------------------------------------------------------

    def review(self, upgrade: UpgradeOps) -> None:
        """Raise CommandError, naming every problem and its ways out, when rows
        cannot take the change and the user has not said what they become."""
        problems = [*self._problems(upgrade)]
        unsolved = [problem for problem in problems if not self._decide(problem)]
        if unsolved:
            raise CommandError(refusal(unsolved))
        self.warnings.extend(self._notices(upgrade))

    def apply(self, upgrade: UpgradeOps) -> None:
        """Write the statements decided on into `upgrade`: those on existing
        columns before every schema change, fills of new columns after their add."""
        for rewrite in self.rewrites:
            rewrite(upgrade)
        upgrade.ops[:0] = self.first

    @property
    def changes_rows(self) -> bool:
        return bool(self.first or self.rewrites)

    def _decide(self, problem: Problem) -> bool:
        value = self.decisions.fill.get(problem.target)
        if value is not None and problem.fill is not None:
            problem.fill(value)
            return True
        if problem.target in self.decisions.accept_loss and problem.loss is not None:
            problem.loss()
            return True
        if self.ask is None:
            return False
        question = f"{problem.target}: {problem.rows} {problem.what}."
        if problem.fill is not None:
            answer = self.ask(f"{question} A value for them (empty: stop): ")
            if answer:
                problem.fill(answer)
                return True
        if problem.loss is not None:
            answer = self.ask(f"{question} Accept that it {problem.loss_means}? [y/N] ")
            if answer.strip().lower() in {"y", "yes"}:
                problem.loss()
                return True
        return False

    def _problems(self, upgrade: UpgradeOps) -> Iterator[Problem]:
        yield from self._enum_values()
        retyped = {
            (table, change.column_name)
            for table, change in changes(upgrade)
            if isinstance(change, AlterColumnOp) and change.modify_type is not None
        }
        for table, change in changes(upgrade):
            if isinstance(change, AddColumnOp):
                yield from self._required_column(table, change)
            elif isinstance(change, AlterColumnOp):
                yield from self._nulls(table, change)
                yield from self._too_long(table, change)
                yield from self._unconvertible(table, change)
            elif isinstance(change, CreateUniqueConstraintOp):
                yield from self._duplicates(table, list(change.columns))
            elif isinstance(change, CreateIndexOp) and change.unique:
                names = [str(getattr(c, "name", c)) for c in change.columns]
                yield from self._duplicates(table, names)
            elif isinstance(change, CreateForeignKeyOp):
                yield from self._orphans(table, change)
            elif isinstance(change, CreateCheckConstraintOp):
                yield from self._refused_by_check(table, change, retyped)

    def _count(self, table: str, where: str) -> int:
        sql = f"SELECT COUNT(*) FROM {quote(table)} WHERE {where}"
        return int(self.connection.exec_driver_sql(sql).scalar_one())

    def _exists(self, table: str, *columns: str) -> bool:
        return table in self.columns and all(c in self.columns[table] for c in columns)

    def _column(self, table: str, name: str) -> Column[Any] | None:
        model = self.metadata.tables.get(table)
        return None if model is None else model.columns.get(name)

    def _run_first(self, sql: str) -> None:
        self.first.append(ExecuteSQLOp(sql))

    def _update(self, table: str, column: str, where: str) -> Callable[[str], None]:
        def fill(value: str) -> None:
            value_sql = literal(value, self._column(table, column))
            self._run_first(
                f"UPDATE {quote(table)} SET {quote(column)} = {value_sql} WHERE {where}"
            )

        return fill

    def _delete(self, table: str, where: str) -> Callable[[], None]:
        return lambda: self._run_first(f"DELETE FROM {quote(table)} WHERE {where}")

    def _enum_values(self) -> Iterator[Problem]:
        """Rows holding a value the model's enum no longer has (or never had, for
        a column becoming an enum): SQLite compares no enum values at all."""
        for table in self.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, Enum) or not self._exists(
                    table.name, column.name
                ):
                    continue
                if not isinstance(
                    self.columns[table.name][column.name]["type"], String
                ):
                    continue
                values = ", ".join(literal(value, None) for value in column.type.enums)
                where = (
                    f"{quote(column.name)} IS NOT NULL AND "
                    f"CAST({quote(column.name)} AS {self.text}) NOT IN ({values})"
                )
                rows = self._count(table.name, where)
                if rows:
                    yield Problem(
                        f"{table.name}.{column.name}",
                        rows,
                        f"rows hold a value that is not one of {', '.join(column.type.enums)}",
                        fill=self._update(table.name, column.name, where),
                        loss=self._delete(table.name, where),
                        loss_means="deletes those rows",
                        other_ways="or keep their values in the enum",
                    )

    def _required_column(self, table: str, add: AddColumnOp) -> Iterator[Problem]:
        column = add.column
        if column.nullable or column.server_default is not None:
            return
        rows = self._count(table, "1 = 1")
        if not rows:
            return

        def fill(value: str) -> None:
            self.rewrites.append(
                lambda upgrade: fill_new_column(
                    upgrade, table, add, literal(value, column)
                )
            )

        yield Problem(
            f"{table}.{column.name}",
            rows,
            "rows have no value for this new required column",
            fill=fill,
            other_ways="or give the field a default (=VALUE), or make it optional (?)",
        )

    def _nulls(self, table: str, alter: AlterColumnOp) -> Iterator[Problem]:
        if alter.modify_nullable is not False or not self._exists(
            table, alter.column_name
        ):
            return
        where = f"{quote(alter.column_name)} IS NULL"
        rows = self._count(table, where)
        if not rows:
            return
        model = self._column(table, alter.column_name)
        default = None if model is None else default_sql(model)
        if default is not None:
            # The one safe recipe: the value the model gives new rows.
            self._run_first(
                f"UPDATE {quote(table)} SET {quote(alter.column_name)} = {default} "
                f"WHERE {where}"
            )
            return
        yield Problem(
            f"{table}.{alter.column_name}",
            rows,
            "rows hold NULL, and the column becomes required",
            fill=self._update(table, alter.column_name, where),
            loss=self._delete(table, where),
            loss_means="deletes those rows",
            other_ways="or give the field a default (=VALUE), or keep it optional (?)",
        )

    def _too_long(self, table: str, alter: AlterColumnOp) -> Iterator[Problem]:
        new = alter.modify_type
        if not isinstance(new, String) or isinstance(new, Enum) or new.length is None:
            return
        old = alter.existing_type
        # Only text has a length to lose (LENGTH() of a number is an error on
        # PostgreSQL); a length as long or longer loses nothing.
        if not isinstance(old, String):
            return
        if old.length is not None and old.length <= new.length:
            return
        if not self._exists(table, alter.column_name):
            return
        name = quote(alter.column_name)
        where = f"{self.length}({name}) > {new.length}"
        rows = self._count(table, where)
        if rows:
            yield Problem(
                f"{table}.{alter.column_name}",
                rows,
                f"rows hold values longer than {new.length} characters",
                loss=lambda: self._run_first(
                    f"UPDATE {quote(table)} SET {name} = SUBSTR({name}, 1, {new.length}) "
                    f"WHERE {where}"
                ),
                loss_means=f"cuts them to {new.length} characters",
                other_ways="or keep the longer length",
            )

    def _refused_by_check(
        self,
        table: str,
        check: CreateCheckConstraintOp,
        retyped: set[tuple[str, str]],
    ) -> Iterator[Problem]:
        """Rows a new or changed CHECK refuses (a min=, a max=, or on SQLite one
        that stands in for the column's type). An enum's values are left to
        `_enum_values`, a length whose column changes type to `_too_long`."""
        name = str(check.constraint_name)
        condition = str(check.condition)
        # The conditions the models write quote every column they check.
        columns = sorted(set(re.findall(r'"([^"]+)"', condition)))
        if not columns or not self._exists(table, *columns):
            return  # a column this revision adds holds no value yet
        if name.endswith(f"_{ENUM_CHECK}") or (
            name.endswith(f"_{LENGTH_CHECK}")
            and any((table, column) in retyped for column in columns)
        ):
            return
        # The models write length() in the condition; on MariaDB the CHECK
        # counts characters with char_length(), and so must this count.
        counted = re.sub(r"\blength\(", f"{self.length}(", condition)
        where = f"NOT ({counted})"
        rows = self._count(table, where)
        if not rows:
            return
        column = columns[0] if len(columns) == 1 else None
        model = None if column is None else self._column(table, column)
        length = getattr(getattr(model, "type", None), "length", None)
        what = f"rows hold values that {condition} refuses"
        loss, loss_means = self._delete(table, where), "deletes those rows"
        if column is not None and name.endswith(f"_{LENGTH_CHECK}") and length:
            what = f"rows hold values longer than {length} characters"
            cut = f"{quote(column)} = SUBSTR({quote(column)}, 1, {length})"
            sql = f"UPDATE {quote(table)} SET {cut} WHERE {where}"
            loss = partial(self._run_first, sql)
            loss_means = f"cuts them to {length} characters"
        yield Problem(
            f"{table}.{column or name}",
            rows,
            what,
            fill=None if column is None else self._update(table, column, where),
            loss=loss,
            loss_means=loss_means,
            other_ways="or change their values first",
        )

    def _unconvertible(self, table: str, alter: AlterColumnOp) -> Iterator[Problem]:
        """Text that the column's new type cannot hold as it is: PostgreSQL's cast
        fails on it, SQLite's batch copy would turn it into something else
        ('abc' into 0, '12.5' into 12 for an integer)."""
        new, old = alter.modify_type, alter.existing_type
        if (
            new is None
            or isinstance(new, String)
            or not isinstance(old, String)
            or isinstance(old, Enum)
            or not self._exists(table, alter.column_name)
        ):
            return
        converts = converter(new, self.connection.dialect.name)
        if converts is None:
            return
        name = quote(alter.column_name)
        values = self.connection.exec_driver_sql(
            f"SELECT DISTINCT {name} FROM {quote(table)} WHERE {name} IS NOT NULL"
        ).scalars()
        refused = sorted(str(v) for v in values if not converts(str(v).strip()))
        if not refused:
            return
        where = f"{name} IN ({', '.join(literal(value, None) for value in refused)})"
        rows = self._count(table, where)
        model = self._column(table, alter.column_name)
        loss: Callable[[], None]
        if model is not None and model.nullable:
            loss = partial(
                self._run_first,
                f"UPDATE {quote(table)} SET {name} = NULL WHERE {where}",
            )
            loss_means = "sets them to NULL"
        else:
            loss, loss_means = self._delete(table, where), "deletes those rows"
        yield Problem(
            f"{table}.{alter.column_name}",
            rows,
            f"rows hold values that are no {type(new).__name__}, such as {refused[0]!r}",
            fill=self._update(table, alter.column_name, where),
            loss=loss,
            loss_means=loss_means,
            other_ways="or change their values first",
        )

    def _duplicates(self, table: str, columns: list[str]) -> Iterator[Problem]:
        model = self.metadata.tables.get(table)
        if model is None or not self._exists(table, *columns):
            return
        keys = [key.name for key in model.primary_key.columns]
        same = " AND ".join(
            f"kept.{quote(c)} = {quote(table)}.{quote(c)}" for c in columns
        )
        earlier = " AND ".join(
            f"kept.{quote(k)} < {quote(table)}.{quote(k)}" for k in keys
        )
        where = (
            f"EXISTS (SELECT 1 FROM {quote(table)} AS kept WHERE {same} AND {earlier})"
        )
        rows = self._count(table, where)
        if rows:
            yield Problem(
                f"{table}.{','.join(columns)}",
                rows,
                "rows repeat the values of an earlier row, and the values become unique",
                loss=self._delete(table, where),
                loss_means="deletes them, keeping the first row of each value",
                other_ways="or change the values first, or keep them not unique",
            )

    def _orphans(self, table: str, key: CreateForeignKeyOp) -> Iterator[Problem]:
        if len(key.local_cols) != 1 or not self._exists(table, *key.local_cols):
            return
        (column,) = key.local_cols
        where = f"{quote(column)} IS NOT NULL"
        if self._exists(key.referent_table, *key.remote_cols):
            referent = (
                f"SELECT {quote(key.remote_cols[0])} FROM {quote(key.referent_table)}"
            )
            where += f" AND {quote(column)} NOT IN ({referent})"
        rows = self._count(table, where)
        if rows:
            yield Problem(
                f"{table}.{column}",
                rows,
                f"rows refer to no row of {key.referent_table}",
                fill=self._update(table, column, where),
                loss=self._delete(table, where),
                loss_means="deletes those rows",
                other_ways="or add the rows they refer to first",
            )

    # -- the notices -------------------------------------------------------

    def _notices(self, upgrade: UpgradeOps) -> Iterator[str]:
        dropped_tables = [op for op in upgrade.ops if isinstance(op, DropTableOp)]
        created_tables = [op for op in upgrade.ops if isinstance(op, CreateTableOp)]
        if dropped_tables and created_tables:
            old = ", ".join(op.table_name for op in dropped_tables)
            new = ", ".join(op.table_name for op in created_tables)
            yield (
                f"drops {old} and creates {new}: if that is a rename, say so in the "
                "models answer (was(<FormerModel>) on the model) and autogenerate "
                "again, to keep the rows"
            )
        for op in upgrade.ops:
            if isinstance(op, DropTableOp) and op.table_name in self.columns:
                rows = self._count(op.table_name, "1 = 1")
                if rows:
                    yield f"drops table {op.table_name} and its {rows} rows"
            if not isinstance(op, ModifyTableOps):
                continue
            dropped = [c for c in op.ops if isinstance(c, DropColumnOp)]
            added = [c for c in op.ops if isinstance(c, AddColumnOp)]
            for drop in dropped:
                rows = self._count(
                    op.table_name, f"{quote(drop.column_name)} IS NOT NULL"
                )
                if rows:
                    yield f"drops {op.table_name}.{drop.column_name} and its {rows} values"
            if dropped and added:
                old = ", ".join(drop.column_name for drop in dropped)
                new = ", ".join(add.column.name for add in added)
                yield (
                    f"{op.table_name} loses {old} and gains {new}: if that is a rename, "
                    "say so in the models answer (:was=<former name> on the field) "
                    "and autogenerate again, to keep the values"
                )


_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# What PostgreSQL reads as a boolean; SQLite's CAST reads only 1 and 0.
_BOOLEANS = {
    "postgresql": {"t", "true", "y", "yes", "on", "f", "false", "n", "no", "off"}
}


def converter(type_: TypeEngine[Any], dialect: str) -> Callable[[str], bool] | None:
    """Whether a text value becomes a value of `type_` on the `dialect` database
    unchanged; None for the types this does not check."""

    def parses(parse: Callable[[str], object]) -> Callable[[str], bool]:
        def converts(text: str) -> bool:
            try:
                parse(text)
            except ValueError:
                return False
            return True

        return converts

    if isinstance(type_, Integer):
        return lambda text: _INTEGER.fullmatch(text) is not None
    if isinstance(type_, Numeric):
        return lambda text: _NUMBER.fullmatch(text) is not None
    if isinstance(type_, Boolean):
        words = {"1", "0", *_BOOLEANS.get(dialect, set())}
        return lambda text: text.lower() in words
    if isinstance(type_, DateTime):
        return parses(dt.datetime.fromisoformat)
    if isinstance(type_, Date):
        return parses(dt.date.fromisoformat)
    if isinstance(type_, Time):
        return parses(dt.time.fromisoformat)
    if isinstance(type_, Uuid):
        return parses(uuid.UUID)
    return None


def changes(upgrade: UpgradeOps) -> Iterator[tuple[str, MigrateOperation]]:
    """Every change of the upgrade with the table it changes."""
    for op in upgrade.ops:
        if isinstance(op, ModifyTableOps):
            for change in op.ops:
                yield op.table_name, change
        elif table := getattr(op, "table_name", None):
            yield str(table), op


def fill_new_column(
    upgrade: UpgradeOps, table: str, add: AddColumnOp, value_sql: str
) -> None:
    """Add the required column as optional, give existing rows `value_sql`, then
    make it required: the three steps a NOT NULL column without a default needs."""
    column = add.column
    for index, op in enumerate(upgrade.ops):
        if isinstance(op, ModifyTableOps) and add in op.ops:
            # A column of its own: the model's stays required, for the commands
            # that compare against it later in the same process.
            add.column = Column(
                column.name, column.type, nullable=True, comment=column.comment
            )
            name = quote(column.name)
            upgrade.ops[index + 1 : index + 1] = [
                ExecuteSQLOp(f"UPDATE {quote(table)} SET {name} = {value_sql}"),
                ModifyTableOps(
                    table,
                    [
                        AlterColumnOp(
                            table,
                            column.name,
                            existing_type=column.type,
                            existing_nullable=True,
                            modify_nullable=False,
                        )
                    ],
                ),
            ]
            return


def refusal(problems: list[Problem]) -> str:
    """The message of a refused revision: every problem with its ways out."""
    lines = ["existing rows cannot take this change; no revision was written."]
    for problem in problems:
        lines.append(f"  {problem.target}: {problem.rows} {problem.what}. Ways out:")
        lines.extend(f"    {way}" for way in problem.ways_out())
    lines.append(
        "Run the command again with the -x arguments you choose, e.g. "
        "alembic -x fill=<table>.<column>=VALUE revision --autogenerate -m '...'"
    )
    return "\n".join(lines)
