"""The schema as a Mermaid entity-relationship diagram, drawn from the metadata.

Drawn from `MetaData`, not from the answers the project was generated from, so
that models edited or written by hand show as they are. GitHub, GitLab and
MkDocs render the diagram where a Markdown page holds it in a `mermaid` block.

- Entities are tables, in name order, with their columns in table order: type,
  name, `PK`/`FK`/`UK` (unique on its own) and "nullable".
- A foreign key is a line from its table to the one it refers to: `}o` many
  rows, or `|o` at most one when its columns are unique (a one-to-one); `||`
  exactly one row at the other end, or `o|` when a column of it is nullable.
  Dashed when the key is a reference, solid when it is part of the primary key.
- A link table (nothing but two foreign keys) is drawn as the many-to-many line
  it stands for, `}o--o{`, named after the table.
- Mermaid 11 draws one loop per table: of two references from a table to itself,
  the picture shows the last (the text has both).

Mermaid takes letters, digits and `_` in a name: anything else is drawn as
`_`, and a name it would read as one of its keywords (a column `pk`, a table
`one`) gets a `_` after it.
"""

import re
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    Enum,
    Float,
    ForeignKeyConstraint,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

# Mermaid's many-to-many line: zero or more at both ends.
MANY_TO_MANY: Final = "}o--o{"

# A type is named after the first of its classes (most specific first) found
# here; one that derives from none of them, after its own class.
TYPE_NAMES: Final[dict[type[Any], str]] = {
    BigInteger: "bigint",
    Boolean: "boolean",
    Date: "date",
    DateTime: "datetime",
    Double: "double",
    Enum: "enum",
    Float: "float",
    Integer: "integer",
    Interval: "interval",
    JSON: "json",
    LargeBinary: "blob",
    Numeric: "numeric",
    SmallInteger: "smallint",
    String: "varchar",
    Text: "text",
    Time: "time",
    Uuid: "uuid",
}

# Names Mermaid reads as its own keywords (in any case) where an entity's name or
# an attribute's is due.
ENTITY_KEYWORDS: Final = frozenset(
    {"accdescr", "acctitle", "class", "classdef", "end", "erdiagram"}
    | {"many", "one", "style", "subgraph", "to", "u"}
)
ATTRIBUTE_KEYWORDS: Final = frozenset({"fk", "pk", "uk"})

# The `mermaid` block of a Markdown page, and what it draws.
MERMAID_BLOCK: Final = re.compile(r"^```mermaid\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def draw(metadata: MetaData) -> str:
    """The Mermaid `erDiagram` of every table in `metadata`."""
    tables = [metadata.tables[key] for key in sorted(metadata.tables)]
    links = [table for table in tables if is_link(table)]
    entities = [table for table in tables if not is_link(table)]
    lines = ["erDiagram"]
    for table in entities:
        lines.append("    " + word(table.fullname) + " {")
        lines.extend(f"        {attribute(column)}" for column in table.columns)
        lines.append("    }")
    lines.extend(
        f"    {reference(table, key)}"
        for table in entities
        for key in foreign_keys(table)
    )
    for table in links:
        source, target = (key.referred_table for key in foreign_keys(table))
        lines.append(
            f"    {word(source.fullname)} {MANY_TO_MANY} {word(target.fullname)}"
            f' : "{table.fullname}"'
        )
    return "\n".join(lines) + "\n"


def drawn(page: str) -> str | None:
    """The diagram a Markdown page holds: its first `mermaid` block, if any."""
    block = MERMAID_BLOCK.search(page)
    return block.group(1) if block else None


def redraw(page: str, diagram: str) -> str:
    """`page` with `diagram` in place of the one it holds."""
    if drawn(page) is None:
        msg = "the page has no ```mermaid block to redraw"
        raise ValueError(msg)
    return MERMAID_BLOCK.sub(lambda _: f"```mermaid\n{diagram}```", page, count=1)


def word(name: str, keywords: frozenset[str] = ENTITY_KEYWORDS) -> str:
    """`name` as Mermaid reads it as a name: in letters, digits and `_`, not
    starting with a digit, and none of `keywords`."""
    safe = re.sub(r"\W", "_", name, flags=re.ASCII)
    if not re.match(r"[A-Za-z_]", safe):
        safe = f"_{safe}"
    return f"{safe}_" if safe.lower() in keywords else safe


def type_name(column_type: TypeEngine[Any]) -> str:
    """A column type as the diagram names it: `varchar(80)`, `numeric(10-2)`
    (Mermaid takes no comma there), `enum(post_status)`."""
    if isinstance(column_type, TypeDecorator):
        return type_name(column_type.impl_instance)
    name = next(
        (TYPE_NAMES[cls] for cls in type(column_type).__mro__ if cls in TYPE_NAMES),
        word(type(column_type).__name__.lower(), ATTRIBUTE_KEYWORDS),
    )
    if isinstance(column_type, Enum):
        arguments = [word(column_type.name, frozenset())] if column_type.name else []
    elif isinstance(column_type, String):
        arguments = [str(column_type.length)] if column_type.length else []
    elif isinstance(column_type, Numeric) and not isinstance(column_type, Float):
        arguments = [
            str(number)
            for number in (column_type.precision, column_type.scale)
            if number is not None
        ]
    else:
        arguments = []
    return f"{name}({'-'.join(arguments)})" if arguments else name


def attribute(column: Column[Any]) -> str:
    """One column as an entity's attribute line."""
    keys = [
        mark
        for mark, holds in (
            ("PK", column.primary_key),
            ("FK", bool(column.foreign_keys)),
            ("UK", not column.primary_key and is_unique(column.table, {column.key})),
        )
        if holds
    ]
    line = f"{type_name(column.type)} {word(column.name, ATTRIBUTE_KEYWORDS)}"
    if keys:
        line += " " + ", ".join(keys)
    if column.nullable:
        line += ' "nullable"'
    return line


def reference(table: Table, key: ForeignKeyConstraint) -> str:
    """The relationship line of one foreign key of `table`."""
    columns = {column.key for column in key.columns}
    many = "|o" if is_unique(table, columns) else "}o"
    line = "--" if columns <= set(table.primary_key.columns.keys()) else ".."
    one = "o|" if any(column.nullable for column in key.columns) else "||"
    label = ", ".join(column.name for column in key.columns)
    return (
        f"{word(table.fullname)} {many}{line}{one}"
        f' {word(key.referred_table.fullname)} : "{label}"'
    )


def foreign_keys(table: Table) -> list[ForeignKeyConstraint]:
    """The foreign keys of `table`, in the order of their columns."""
    position = {column.key: number for number, column in enumerate(table.columns)}
    return sorted(
        table.foreign_key_constraints,
        key=lambda key: [position[column.key] for column in key.columns],
    )


def is_link(table: Table) -> bool:
    """Whether `table` only links rows of two others: two foreign keys that
    cover all of its columns (a many-to-many association table)."""
    keys = table.foreign_key_constraints
    covered = {column.key for key in keys for column in key.columns}
    return len(keys) == 2 and covered == set(table.columns.keys())


def is_unique(table: Table, columns: set[str]) -> bool:
    """Whether no two rows of `table` share values in `columns`: the primary
    key, a unique constraint or a unique index lies within them."""
    unique_sets = [set(table.primary_key.columns.keys())]
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            unique_sets.append(set(constraint.columns.keys()))
    for index in table.indexes:
        if index.unique:
            unique_sets.append({column.key for column in index.columns})
    unique_sets.extend({column.key} for column in table.columns if column.unique)
    return any(keys and keys <= columns for keys in unique_sets)
