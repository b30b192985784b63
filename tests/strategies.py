"""Hypothesis strategies for the template's answers.

`models_answers()` draws valid `models` answers from the whole models language:
many models per answer, names across the alphabet and at their length limits,
every type with its arguments at their edges, `?`, every modifier where it is
allowed, and references of every kind (self, cyclic, unique, cascade, setnull,
several to one target). Each answer is valid by construction: it keeps clear of
every rule the validator enforces, so a refusal is a finding, not noise.

`project_names()` draws project names whose package sorts anywhere relative to
the names the generated code imports (alembic, sqlalchemy, tests).

`invalid_answers()` draws a valid answer with one mistake in it, and the words
the refusal must contain: the bad value and why it is refused.

The limits, types and reserved names are read from includes/language.jinja and
includes/reserved.jinja, their one home; the naming rules (snake_case, plurals) mirror includes/names.jinja.
"""

from __future__ import annotations

import keyword
import re
import string
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from tests.jinja_env import include_value


def _language_fact(name: str) -> Any:
    """A limit, type or modifier, from its one home: includes/language.jinja."""
    return include_value("language", name)


def _reserved_names(name: str) -> Any:
    """A list of reserved names, from its one home: includes/reserved.jinja."""
    return include_value("reserved", name)


# The convention the generated SqlAlchemyBase names constraints and indexes by.
NAMING_CONVENTION: dict[str, str] = include_value(
    "constraint_names", "NAMING_CONVENTION"
)


def constraint_name(kind: str, table: str, *columns: str) -> str:
    """The name NAMING_CONVENTION gives a constraint or index of `kind`."""
    return NAMING_CONVENTION[kind] % {
        "table_name": table,
        "column_0_name": columns[0] if columns else "",
        "column_0_N_name": "_".join(columns),
        "constraint_name": columns[0] if columns else "",
    }


MAX_CLASS: int = _language_fact("MAX_CLASS")
MAX_TABLE: int = _language_fact("MAX_TABLE")
MAX_FIELD: int = _language_fact("MAX_FIELD")
MAX_STR_LENGTH: int = _language_fact("MAX_STR_LENGTH")
# The most digits a decimal{P,S} may have: SQLite stores decimals as doubles.
MAX_PRECISION: dict[str, int] = _language_fact("MAX_DECIMAL_PRECISION")
PY_KEYWORDS = frozenset(keyword.kwlist)
RESERVED_CLASSES = frozenset(_reserved_names("RESERVED_CLASSES"))
RESERVED_MODULES = frozenset(_reserved_names("RESERVED_MODULES"))
RESERVED_FIELDS = frozenset(_reserved_names("RESERVED_FIELDS"))
SHADOWING_FIELDS = frozenset(_reserved_names("SHADOWING_FIELDS"))
# Names that break the generated code for reasons of their own.
REFUSED_FIELDS = frozenset(_reserved_names("REFUSED_FIELDS"))
# Class names and (upper-cased) enum values ruff refuses: E741, E742.
AMBIGUOUS_NAMES = frozenset(_reserved_names("AMBIGUOUS_NAMES"))
MAX_ENUM_VALUE: int = _language_fact("MAX_ENUM_VALUE")
# Prefixes the databases keep for their own catalogs.
CATALOG_PREFIXES = ("pg_", "sqlite_")
# Reserved when the `timestamps` question is on (DESIGN.md): never drawn.
TIMESTAMP_FIELDS = frozenset(_language_fact("TIMESTAMP_FIELDS"))
SCALAR_TYPES = tuple(_language_fact("TYPES"))
# Modifiers by name (`min=N` is named min).
MODIFIERS = frozenset(
    form.split("=")[0]
    for form in _language_fact("COLUMN_MODIFIERS")
    + _language_fact("REFERENCE_MODIFIERS")
)
TYPES: dict[str, dict[str, Any]] = _language_fact("TYPES")
MAX_NAME: int = _language_fact("MAX_NAME")

# Import names a package may not take (includes/validate.jinja): the generated
# project's dependencies and folders, the standard library of every Python the
# template supports (3.11's list includes modules later versions removed).
TAKEN_IMPORTS = frozenset(include_value("validate", "TAKEN_IMPORTS"))
REMOVED_STDLIB = frozenset(
    {
        "aifc", "asynchat", "asyncore", "audioop", "cgi", "cgitb", "chunk",
        "crypt", "distutils", "imghdr", "imp", "lib2to3", "mailcap", "msilib",
        "nis", "nntplib", "ossaudiodev", "pipes", "smtpd", "sndhdr", "spwd",
        "sunau", "telnetlib", "uu", "xdrlib",
    }
)  # fmt: skip
UNAVAILABLE_PACKAGES = (
    TAKEN_IMPORTS | REMOVED_STDLIB | frozenset(sys.stdlib_module_names) | PY_KEYWORDS
)

# Words that make names interesting: SQL reserved words, irregular and sibilant
# plurals, acronyms, Python keywords and builtins as parts of a name, and words the
# generated code itself uses.
CLASS_WORDS = (
    "User", "Order", "Group", "Select", "Table", "Index", "Check", "Column",
    "Key", "Primary", "Default", "Limit", "Where", "Case", "End", "Grant", "All",
    "Person", "Child", "Man", "Woman", "Mouse", "Goose", "Foot", "Tooth", "Ox",
    "Datum", "Criterion", "Box", "Bus", "Quiz", "Match", "Wish", "Category",
    "Day", "Address", "Status", "HTTP", "API", "URL", "ID", "A", "B2", "X",
    "Class", "Import", "Return", "Global", "With", "Pass", "Lambda", "None",
    "Type", "Object", "Self", "Item", "Model", "Base", "Settings", "Engine",
    "DbSession", "Config", "Factory", "Values", "Text", "Row", "Sql", "Alchemy",
    "Test", "Tests", "Migration", "Alembic", "Main", "Line", "Sale", "Sales",
    "Foreign", "Big", "Large", "Meta", "Declarative", "Pg", "Sqlite",
)  # fmt: skip
FIELD_WORDS = (
    "user", "order", "group", "select", "table", "where", "limit", "offset",
    "check", "default", "primary", "key", "column", "index", "unique", "desc",
    "asc", "all", "any", "both", "case", "cast", "end", "grant", "having",
    "union", "when", "window", "to", "do", "only", "some", "then", "using",
    "current_user", "session_user", "current_date", "localtime", "value",
    "values", "type", "name", "data", "date", "time", "text", "json", "uuid",
    "decimal", "datetime", "object", "max", "min", "len", "sum", "format",
    "hash", "input", "print", "range", "set", "tuple", "vars", "dir", "open",
    "super", "cls", "o", "i", "sa", "op", "n", "row", "save",
    "factory", "pytest", "annotations", "typing", "mapped", "column_values",
    "reloaded", "is_missing", "make", "parent", "child", "children", "owner",
    "total", "status", "state", "label", "note", "a", "b", "x1", "z9z",
    # Model + field = a name the generated code imports (ForeignKey, TypeVar...).
    "var", "alchemy_base", "integer", "binary", "base",
    # Reserved by MariaDB only, one SQLAlchemy does not list (portion).
    "blob", "lead", "mod", "div", "interval", "release", "portion",
)  # fmt: skip
ENUM_WORDS = (
    "draft", "live", "open", "closed", "none", "true", "false", "null", "name",
    "value", "select", "order", "user", "i", "o", "l", "a", "x", "mro", "in_stock",
    "a1", "b_2", "default",
)  # fmt: skip


def snake(name: str) -> str:
    """OrderItem -> order_item; HTTPRequest -> http_request (includes/names.jinja)."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def pascal(name: str) -> str:
    """order_item -> OrderItem."""
    return "".join(part.capitalize() for part in name.split("_"))


IRREGULAR_PLURALS = {
    "person": "people", "child": "children", "man": "men", "woman": "women",
    "mouse": "mice", "goose": "geese", "foot": "feet", "tooth": "teeth",
    "ox": "oxen", "datum": "data", "criterion": "criteria",
}  # fmt: skip


def plural(name: str) -> str:
    """The English plural of the last word of a snake_case name."""
    last = name.split("_")[-1]
    stem = name[: len(name) - len(last)]
    if last in IRREGULAR_PLURALS:
        return stem + IRREGULAR_PLURALS[last]
    if re.search("(s|x|z|ch|sh)$", last):
        return name + "es"
    if re.search("[^aeiou]y$", last):
        return name[:-1] + "ies"
    return name + "s"


def table_of(class_name: str) -> str:
    return plural(snake(class_name))


# --- class names ----------------------------------------------------------------

_lower_word = st.text(string.ascii_lowercase, min_size=1, max_size=12)
_digits = st.text(string.digits, min_size=1, max_size=3)


@st.composite
def _class_word(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["word", "word", "random", "acronym", "digits"]))
    if kind == "word":
        return draw(st.sampled_from(CLASS_WORDS))
    if kind == "acronym":
        return draw(st.text(string.ascii_uppercase, min_size=1, max_size=4))
    word = draw(_lower_word).capitalize()
    if kind == "digits":
        word += draw(_digits)
    return word


def _fits(name: str) -> bool:
    return len(name) <= MAX_CLASS and len(table_of(name)) <= MAX_TABLE


def _shorten(name: str) -> str:
    """Cut letters off the end until the class and its table fit their limits."""
    while not _fits(name):
        name = name[:-1]
    return name


def _acceptable_class(name: str) -> bool:
    return (
        re.fullmatch("[A-Z][A-Za-z0-9]*", name) is not None
        and name not in PY_KEYWORDS
        and name not in RESERVED_CLASSES
        and name not in AMBIGUOUS_NAMES
        and snake(name) not in PY_KEYWORDS
        and table_of(name) not in PY_KEYWORDS
        and snake(name) not in RESERVED_MODULES
        # `<table>_as_<field>` names a reverse collection: keep tables clear of it.
        and "_as_" not in f"_{table_of(name)}_"
        # Index, constraint and key names start so: keep tables clear of them.
        and not table_of(name).startswith(
            tuple(NAMING_CONVENTION[kind].split("%")[0] for kind in ("ix", "uq", "pk"))
        )
        # The databases keep these names for themselves (tables, and enum
        # types named after the module).
        and not table_of(name).startswith(CATALOG_PREFIXES)
        and not f"{snake(name)}_".startswith(CATALOG_PREFIXES)
        and _fits(name)
    )


@st.composite
def class_names(draw: st.DrawFn) -> str:
    """A valid model class name: words of every kind, often at the length limits."""
    if draw(st.integers(0, 4)) == 0:
        # One long word, cut to the longest name whose table still fits.
        first = draw(st.sampled_from(string.ascii_uppercase))
        rest = draw(st.text(string.ascii_lowercase, min_size=30, max_size=45))
        name = _shorten(first + rest)
    else:
        words = draw(st.lists(_class_word(), min_size=1, max_size=4))
        name = "".join(words)
        if not name[0].isupper():
            name = "M" + name
        name = _shorten(name)
    assume(_acceptable_class(name))
    return name


# --- field names ----------------------------------------------------------------


def _acceptable_field(name: str) -> bool:
    return (
        re.fullmatch("[a-z][a-z0-9]*(_[a-z0-9]+)*", name) is not None
        and len(name) <= MAX_FIELD
        and name not in PY_KEYWORDS
        and name not in RESERVED_FIELDS
        and name not in SHADOWING_FIELDS
        and name not in REFUSED_FIELDS
        and name not in TIMESTAMP_FIELDS
        and "_as_" not in name
    )


_field_segment = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)


@st.composite
def field_names(draw: st.DrawFn) -> str:
    """A snake_case field name: SQL and Python words, random ones, or 24-25 long."""
    kind = draw(st.sampled_from(["word", "word", "random", "long"]))
    if kind == "word":
        name = draw(st.sampled_from(FIELD_WORDS))
    elif kind == "random":
        first = draw(st.sampled_from(string.ascii_lowercase))
        segments = draw(st.lists(_field_segment, min_size=1, max_size=3))
        name = first + "_".join(segments)
    else:
        length = draw(st.integers(MAX_FIELD - 1, MAX_FIELD))
        head = draw(st.sampled_from(FIELD_WORDS)).replace("_", "")
        filler = draw(
            st.text(
                string.ascii_lowercase + string.digits, min_size=length, max_size=length
            )
        )
        name = f"{head}_{filler}"[:length].rstrip("_")
    name = name[:MAX_FIELD].rstrip("_")
    assume(_acceptable_field(name))
    return name


# --- types ----------------------------------------------------------------------


# The longest str{N} drawn for MariaDB: three of them (the most a drawn
# index(...) spans) fit its 3072-byte index keys, at 4 bytes a character, and
# a model's worth of them its 65535-byte rows. Longer ones are refused there
# when they do not fit (tests/test_bad_input.py), never drawn.
MARIADB_STR_LENGTH = 255


@st.composite
def str_types(draw: st.DrawFn, database: str) -> str:
    if draw(st.booleans()):
        return "str"
    most = MARIADB_STR_LENGTH if database == "mariadb" else MAX_STR_LENGTH
    length = draw(
        st.sampled_from(sorted({1, 2, 255, min(256, most), most - 1, most}))
        | st.integers(1, most)
    )
    return f"str{{{length}}}"


@st.composite
def decimal_types(draw: st.DrawFn, database: str) -> str:
    # MariaDB keeps whole numbers only in a decimal without {P,S}, and at most
    # 38 decimals: the validator refuses both there.
    if database != "mariadb" and draw(st.integers(0, 3)) == 0:
        return "decimal"
    most = MAX_PRECISION[database]
    precision = draw(
        st.sampled_from(sorted({1, 2, 10, most - 1, most})) | st.integers(1, most)
    )
    widest = min(precision, 38) if database == "mariadb" else precision
    scale = draw(
        st.sampled_from([0, widest, max(widest - 1, 0)]) | st.integers(0, widest)
    )
    return f"decimal{{{precision},{scale}}}"


def _acceptable_enum_value(value: str) -> bool:
    return (
        re.fullmatch("[a-z][a-z0-9]*(_[a-z0-9]+)*", value) is not None
        and value not in PY_KEYWORDS
        and value.upper() not in AMBIGUOUS_NAMES
        and len(value) <= MAX_ENUM_VALUE
    )


@st.composite
def enum_values(draw: st.DrawFn) -> str:
    """A snake_case value: a word, a random one, now and then one about as long as
    PostgreSQL's labels may be (63 bytes)."""
    kind = draw(st.sampled_from(["word", "word", "random", "random", "random", "long"]))
    if kind == "word":
        value = draw(st.sampled_from(ENUM_WORDS))
    elif kind == "random":
        first = draw(st.sampled_from(string.ascii_lowercase))
        value = first + "_".join(draw(st.lists(_field_segment, max_size=3)))
    else:
        length = draw(st.sampled_from([62, 63, 64]) | st.integers(50, 70))
        first = draw(st.sampled_from(string.ascii_lowercase))
        rest = draw(
            st.text(
                string.ascii_lowercase + string.digits, min_size=length, max_size=length
            )
        )
        value = (first + rest)[:length]
    value = value.rstrip("_")
    assume(_acceptable_enum_value(value))
    return value


@st.composite
def enum_types(draw: st.DrawFn) -> str:
    size = draw(st.sampled_from([1, 2, 3, 5, 40]) | st.integers(1, 12))
    values = draw(st.lists(enum_values(), min_size=size, max_size=size, unique=True))
    return f"enum{{{','.join(values)}}}"


def scalar_types(kind: str, database: str) -> st.SearchStrategy[str]:
    arguments = TYPES[kind]["arguments"]
    if arguments == "length":
        return str_types(database)
    if arguments == "precision_scale":
        return decimal_types(database)
    if arguments == "values":
        return enum_types()
    return st.just(kind)


# --- whole answers --------------------------------------------------------------


@dataclass
class _Model:
    """A model being drawn, with the names its fields already take."""

    name: str
    position: int
    tokens: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    # (field name, column, type) of each column drawn, for unique(...)/index(...).
    columns: list[tuple[str, str, str]] = field(default_factory=list)
    # Nullable references, which the factories leave empty.
    nullable_references: set[str] = field(default_factory=set)

    @property
    def module(self) -> str:
        return snake(self.name)

    @property
    def table(self) -> str:
        return table_of(self.name)

    @property
    def spec(self) -> str:
        return " ".join(self.tokens)


def _own_database_names(table: str) -> set[str]:
    """The names a table takes besides its own: its primary key and id sequence."""
    return {table, constraint_name("pk", table), f"{table}_id_seq"}


@dataclass
class _Answer:
    """The answer being drawn and every name it already takes."""

    models: list[_Model]
    database: str
    enum_classes: set[str] = field(default_factory=set)
    # Names of tables, indexes, constraints, sequences and enum types, which the
    # database keeps in one namespace.
    database_names: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for model in self.models:
            self.database_names |= _own_database_names(model.table)

    @property
    def class_names(self) -> set[str]:
        return {model.name for model in self.models}

    @property
    def tables(self) -> set[str]:
        return {model.table for model in self.models}

    @property
    def modules(self) -> set[str]:
        return {model.module for model in self.models}

    def is_free(self, model: _Model, name: str) -> bool:
        """Whether field `name` of `model` is free in Python and in the database:
        any index, unique constraint or enum type it may get is a new name."""
        column = f"{name}_id"
        return (
            name not in model.taken
            and column not in model.taken
            # Reverse collections are named after the tables that refer, the
            # reverse of a one-to-one after the module.
            and name not in self.tables | self.modules
            and column not in self.tables | self.modules
            and self.database_names.isdisjoint(
                {
                    constraint_name("ix", model.table, name),
                    constraint_name("uq", model.table, name),
                    constraint_name("ix", model.table, column),
                    f"{model.module}_{name}",
                }
            )
        )

    def take(self, model: _Model, name: str, column: str, names: set[str]) -> None:
        model.taken |= {name, column}
        self.database_names |= names


def _index_names(model: _Model, column: str, modifiers: list[str]) -> set[str]:
    if "index" in modifiers:
        return {constraint_name("ix", model.table, column)}
    if "unique" in modifiers:
        return {constraint_name("uq", model.table, column)}
    return set()


@st.composite
def _scalar_field(draw: st.DrawFn, model: _Model, answer: _Answer) -> str:
    name = draw(field_names().filter(lambda name: answer.is_free(model, name)))
    kind = draw(st.sampled_from(SCALAR_TYPES))
    names = set()
    if kind == "enum":
        enum_class = model.name + pascal(name)
        if (
            enum_class in answer.class_names
            or enum_class in answer.enum_classes
            or enum_class in RESERVED_CLASSES
        ):
            kind = "text"
        else:
            answer.enum_classes.add(enum_class)
            names.add(f"{model.module}_{name}")
    type_ = draw(scalar_types(kind, answer.database))
    nullable = draw(st.booleans())
    modifiers = []
    # The modifiers the type's row does not refuse (a unique bool holds two rows).
    allowed = [
        name for name in ("unique", "index") if name not in TYPES[kind]["refused"]
    ]
    if allowed:
        modifiers = draw(st.lists(st.sampled_from(allowed), unique=True, max_size=2))
    bounds: tuple[Any, Any] = (None, None)
    if TYPES[kind]["bounds"] and draw(st.integers(0, 2)) == 0:
        bounds = draw(_bounds(kind, type_, unique="unique" in modifiers))
        modifiers += [
            f"{side}={value}"
            for side, value in zip(("min", "max"), bounds, strict=True)
            if value is not None
        ]
    default = ""
    if TYPES[kind]["default_rule"] and draw(st.integers(0, 2)) == 0:
        default = "=" + draw(_defaults(kind, type_, bounds))
    modifiers = draw(st.permutations(modifiers))
    answer.take(model, name, name, names | _index_names(model, name, modifiers))
    model.columns.append((name, name, kind))
    return ":".join([f"{name}:{type_}{'?' if nullable else ''}{default}", *modifiers])


@st.composite
def _reference_field(draw: st.DrawFn, model: _Model, answer: _Answer) -> str:
    name = draw(field_names().filter(lambda name: answer.is_free(model, name)))
    target = draw(st.sampled_from(answer.models))
    # Required references only point at models drawn earlier: they never form a
    # cycle. Self references and references forward are nullable.
    nullable = target.position >= model.position or draw(st.booleans())
    modifiers = draw(
        st.lists(st.sampled_from(["unique", "index"]), unique=True, max_size=2)
    )
    on_delete = draw(
        st.sampled_from(["", "cascade", "setnull"] if nullable else ["", "cascade"])
    )
    if on_delete:
        modifiers.append(on_delete)
    modifiers = draw(st.permutations(modifiers))
    column = f"{name}_id"
    # A reference is always indexed.
    answer.take(model, name, column, _index_names(model, column, ["index"]))
    model.columns.append((name, column, "reference"))
    if nullable:
        model.nullable_references.add(name)
    return ":".join([f"{name}:{target.name}{'?' if nullable else ''}", *modifiers])


@st.composite
def _many_to_many_field(draw: st.DrawFn, model: _Model, answer: _Answer) -> str | None:
    """`name:Target[]`, or None when its association table's names are taken or
    too long."""
    name = draw(field_names().filter(lambda name: answer.is_free(model, name)))
    target = draw(st.sampled_from(answer.models))
    table = f"{model.table}_{name}"
    target_column = f"{name}_id" if target is model else f"{target.module}_id"
    longest = max(
        len(constraint_name("fk", table, column))
        for column in (f"{model.module}_id", target_column)
    )
    names = {
        table,
        constraint_name("pk", table),
        constraint_name("ix", table, target_column),
    }
    if longest > MAX_NAME or not answer.database_names.isdisjoint(names):
        return None
    answer.take(model, name, name, names)
    return f"{name}:{target.name}[]"


@st.composite
def _composite_token(draw: st.DrawFn, model: _Model, answer: _Answer) -> str | None:
    """`unique(a,b)` or `index(a,b)` over columns of the model, or None."""
    eligible = [
        column
        for column in model.columns
        if "index" not in TYPES.get(column[2], {}).get("refused", {})
    ]
    if len(eligible) < 2:
        return None
    chosen = draw(
        st.lists(st.sampled_from(eligible), min_size=2, max_size=3, unique=True)
    )
    kind = draw(st.sampled_from(["unique", "index"]))
    # MariaDB indexes text and bytes only alone or under a unique.
    unbounded = any(column[2] in {"text", "bytes"} for column in chosen)
    if kind == "index" and answer.database == "mariadb" and unbounded:
        return None
    constraint = constraint_name(
        "uq" if kind == "unique" else "ix", model.table, *(c[1] for c in chosen)
    )
    if len(constraint) > MAX_NAME or constraint in answer.database_names:
        return None
    answer.database_names.add(constraint)
    return f"{kind}({','.join(c[0] for c in chosen)})"


# --- defaults and bounds ----------------------------------------------------------

# The value range of each integer type, from its TYPES row.
INTEGER_RANGES = {
    name: (int(TYPES[name]["range"][0]), int(TYPES[name]["range"][1]))
    for name, row in TYPES.items()
    if row["number"] == "integer"
}


def _decimal_places(type_: str) -> tuple[int, int] | None:
    """(integer digits, decimals) a decimal{P,S} keeps; None for a bare decimal."""
    match = re.fullmatch(r"decimal\{(\d+),(\d+)\}", type_)
    if match is None:
        return None
    precision, scale = int(match[1]), int(match[2])
    return precision - scale, scale


def _number_text(value: Decimal, decimals: int) -> str:
    """A number as the models language writes it: no exponent, no sign on 0."""
    text = f"{value:.{decimals}f}"
    return "0" if text.strip("-0.") == "" else text


@st.composite
def _numbers(draw: st.DrawFn, kind: str, type_: str) -> Decimal:
    """A number the column of `type_` keeps exactly."""
    if kind in INTEGER_RANGES:
        low, high = INTEGER_RANGES[kind]
        return Decimal(
            draw(st.sampled_from([low, high, 0, -1]) | st.integers(-1000, 1000))
        )
    places = _decimal_places(type_) if TYPES[kind]["number"] == "decimal" else None
    whole, decimals = places if places is not None else (6, 2)
    largest = 10 ** (whole + decimals) - 1
    units = draw(
        st.sampled_from([largest, -largest, 0]) | st.integers(-largest, largest)
    )
    return Decimal(f"{units}e-{decimals}")  # exact: scaleb() would round


def _column_range(kind: str, type_: str) -> tuple[Decimal, Decimal] | None:
    """The least and greatest value the column of `type_` keeps, where it has a
    limit the drawn numbers can reach (integers, decimal{P,S})."""
    if kind in INTEGER_RANGES:
        low, high = INTEGER_RANGES[kind]
        return Decimal(low), Decimal(high)
    places = _decimal_places(type_) if TYPES[kind]["number"] == "decimal" else None
    if places is None:
        return None
    whole, decimals = places
    largest = Decimal(f"{10 ** (whole + decimals) - 1}e-{decimals}")
    return -largest, largest


def _room_for_ten(
    sides: tuple[bool, bool],
    first: Decimal,
    second: Decimal,
    step: Decimal,
    column: tuple[Decimal, Decimal] | None,
) -> tuple[bool, bool]:
    """The sides of a unique column's bounds to keep: from the bound given to the
    other (given, or the column's own limit) there must be room for ten values."""
    floor, ceiling = (
        column if column is not None else (first - 9 * step, second + 9 * step)
    )
    low = first if sides[0] else floor
    high = second if sides[1] else ceiling
    if high - low >= 9 * step:
        return sides
    for kept in ((True, False), (False, True)):
        if (ceiling - first if kept[0] else second - floor) >= 9 * step:
            return kept
    return (False, False)


@st.composite
def _bounds(
    draw: st.DrawFn, kind: str, type_: str, *, unique: bool
) -> tuple[str | None, str | None]:
    """min= and max= (either may be None) for a column of `type_`."""
    sides = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
    if TYPES[kind]["bounds"] == "length":
        length = int(type_[4:-1]) if type_.startswith("str{") else 255
        if kind == "text":
            length = 1000
        low = draw(st.integers(0, min(length, 30)))
        high = draw(st.integers(max(low, 1), min(length, low + 200)))
    else:
        places = _decimal_places(type_)
        decimals = (
            places[1] if places is not None else (0 if kind in INTEGER_RANGES else 2)
        )
        first, second = sorted(
            [draw(_numbers(kind, type_)), draw(_numbers(kind, type_))]
        )
        step = Decimal(1).scaleb(-decimals)
        if unique:
            # The validator counts a bare decimal's values in whole steps.
            counted = Decimal(1) if kind == "decimal" and places is None else step
            sides = _room_for_ten(
                sides, first, second, counted, _column_range(kind, type_)
            )
        low, high = _number_text(first, decimals), _number_text(second, decimals)
    return (low if sides[0] else None, high if sides[1] else None)


@st.composite
def _defaults(draw: st.DrawFn, kind: str, type_: str, bounds: tuple[Any, Any]) -> str:
    """A valid `=default` value for a column of `type_` within `bounds`."""
    rule = TYPES[kind]["default_rule"]
    low, high = bounds
    if rule == "boolean":
        return draw(st.sampled_from(["true", "false"]))
    if rule == "now":
        return "now"
    if rule == "new":
        return "new"
    if rule == "json":
        return draw(st.sampled_from(["{}", "[]"]))
    if rule == "enum":
        return draw(st.sampled_from(type_[5:-1].split(",")))
    if rule == "word":
        longest = int(type_[4:-1]) if type_.startswith("str{") else 40
        shortest = int(low) if low is not None else 1
        longest = min(longest, int(high) if high is not None else longest, 40)
        length = draw(st.integers(max(shortest, 1), max(longest, shortest, 1)))
        return draw(
            st.text(
                string.ascii_letters + string.digits + "_-.",
                min_size=length,
                max_size=length,
            )
        )
    places = _decimal_places(type_)
    decimals = places[1] if places is not None else (0 if kind in INTEGER_RANGES else 2)
    value = draw(_numbers(kind, type_))
    if low is not None:
        value = max(value, Decimal(low))
    if high is not None:
        value = min(value, Decimal(high))
    return _number_text(value, decimals)


@st.composite
def models_answers(
    draw: st.DrawFn,
    database: str,
    min_models: int = 3,
    max_models: int = 10,
    max_fields: int = 8,
) -> dict[str, str] | list[str]:
    """A valid `models` answer for `database`: a mapping of class name to field
    spec (now and then the list form), with `min_models` to `max_models` models."""
    # Counts are drawn down from their maximum, so that the simplest answer,
    # which Hypothesis tries first, is a large one.
    count = max_models - draw(st.integers(0, max_models - min_models))
    names = draw(
        st.lists(
            class_names(),
            min_size=count,
            max_size=count,
            unique_by=(snake, table_of),
        )
    )
    if draw(st.integers(0, 19)) == 19:
        return names
    models = [_Model(name, position) for position, name in enumerate(names)]
    answer = _Answer(models, database)
    for model in models:
        for _ in range(max_fields - draw(st.integers(0, max_fields))):
            kind = draw(st.integers(0, 9))
            token: str | None
            if kind < 2:
                token = draw(_reference_field(model, answer))
            elif kind == 2:
                token = draw(_many_to_many_field(model, answer))
            else:
                token = draw(_scalar_field(model, answer))
            if token is not None:
                model.tokens.append(token)
        if draw(st.integers(0, 2)) == 0:
            composite = draw(_composite_token(model, answer))
            if composite is not None:
                model.tokens.insert(draw(st.integers(0, len(model.tokens))), composite)
    return {model.name: model.spec for model in draw(st.permutations(models))}


@st.composite
def question_answers(draw: st.DrawFn) -> dict[str, Any]:
    """The answers besides the project's name, its database and its models:
    session_api (half of the draws async), primary_key and timestamps."""
    return {
        "session_api": draw(st.sampled_from(["sync", "async"])),
        "primary_key": draw(st.sampled_from(["bigint", "int", "uuid"])),
        "timestamps": draw(st.booleans()),
    }


# --- project names --------------------------------------------------------------

# First words around the names the generated code imports, so the package sorts
# before, between and after them.
PROJECT_FIRST_WORDS = (
    "a", "aa", "alembic", "alembics", "app", "b", "my", "sqla", "sqlalchemy",
    "sqlz", "shop", "t", "test", "tests", "testsuite", "tester", "u", "web", "z",
    "zoo",
)  # fmt: skip


# Names the generated modules refer to (sqlalchemy's false, func, session...):
# a package of that name must not shadow them (`import false.models` would).
_names_the_code_uses = st.sampled_from(sorted(SHADOWING_FIELDS))


def package_of(project_name: str) -> str:
    """The package name the template derives from a project name."""
    slug = re.sub("[^a-z0-9]+", "-", project_name.lower()).strip("-")
    return slug.replace("-", "_")


def _acceptable_project_name(name: str) -> bool:
    package = package_of(name)
    return (
        len(name) <= 60
        and re.fullmatch("[a-z][a-z0-9]*(_[a-z0-9]+)*", package) is not None
        and len(package) <= 40
        and package not in UNAVAILABLE_PACKAGES
    )


@st.composite
def project_names(draw: st.DrawFn) -> str:
    """A human project name, like `Web Shop`, whose package sorts anywhere."""
    first = draw(
        st.sampled_from(PROJECT_FIRST_WORDS) | _names_the_code_uses | _lower_word
    )
    more = draw(
        st.lists(
            st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8),
            max_size=3,
        )
    )
    separators = draw(
        st.lists(
            st.sampled_from([" ", " ", "-", "_", ".", "'", " - "]),
            min_size=len(more),
            max_size=len(more),
        )
    )
    name = first + "".join(
        sep + word for sep, word in zip(separators, more, strict=True)
    )
    if draw(st.integers(0, 4)) == 0:
        # As long as a package name may be: long lines of imports.
        longest = include_value("validate", "MAX_PACKAGE")
        name = (name + " " + "x" * longest)[:longest].rstrip(" -_.'")
    if draw(st.booleans()):
        name = name.title()
    assume(_acceptable_project_name(name))
    return name


# --- invalid answers ------------------------------------------------------------


@dataclass(frozen=True)
class InvalidAnswer:
    """Answers with one mistake, and what the refusal must say."""

    answers: dict[str, Any]
    expected: tuple[str, ...]
    mistake: str


def _as_mapping(models: dict[str, str] | list[str]) -> dict[str, str]:
    if isinstance(models, list):
        return dict.fromkeys(models, "")
    return dict(models)


def _fresh_name(draw: st.DrawFn, models: dict[str, str], prefix: str) -> str:
    """A field name that no model of the answer uses in any form."""
    used = " ".join(models.values())
    return draw(
        st.text(string.ascii_lowercase, min_size=4, max_size=8)
        .map(lambda word: f"{prefix}{word}")
        .filter(lambda name: name not in used)
    )


def _fresh_class(draw: st.DrawFn, models: dict[str, str], prefix: str) -> str:
    """A model class name that no model of the answer takes."""
    modules = {snake(name) for name in models}
    tables = {table_of(name) for name in models}
    return draw(
        st.text(string.ascii_lowercase, min_size=4, max_size=8)
        .map(lambda word: f"{prefix}{word.capitalize()}")
        .filter(
            lambda name: (
                name not in models
                and snake(name) not in modules
                and table_of(name) not in tables
            )
        )
    )


@dataclass(frozen=True)
class _Mistake:
    """One field token added to a model, and what its refusal must say."""

    description: str
    token: str
    expected: tuple[str, ...]


_not_a_type = st.text(string.ascii_lowercase, min_size=2, max_size=8).filter(
    lambda word: word not in SCALAR_TYPES
)
_not_a_modifier = st.text(string.ascii_lowercase, min_size=2, max_size=8).filter(
    lambda word: word not in MODIFIERS
)


@st.composite
def _field_mistakes(draw: st.DrawFn, models: dict[str, str], database: str) -> _Mistake:
    """A bad field token, from every rule the field parser has."""
    name = _fresh_name(draw, models, "f")
    other = draw(st.sampled_from(sorted(models)))
    kind = draw(
        st.sampled_from(
            [
                "unknown type", "unknown model", "unknown modifier",
                "not snake_case", "keyword", "reserved", "refused", "shadowing",
                "too long",
                "bad str length", "bad decimal", "enum without values",
                "bad enum value", "enum value twice", "arguments on a scalar",
                "json unique", "json index", "setnull on a required reference",
                "reference modifier on a scalar", "cascade and setnull",
                "arguments on a reference", "modifier twice", "no type",
                "ambiguous enum value", "enum value too long", "unique bool",
                "unique enum",
                *(["text in a composite index"] if database == "mariadb" else []),
            ]
        )
    )  # fmt: skip
    if kind == "unknown type":
        bad = draw(_not_a_type)
        return _Mistake(kind, f"{name}:{bad}", (f'"{bad}"', "unknown type"))
    if kind == "unknown model":
        bad = _fresh_class(draw, models, "Missing")
        return _Mistake(kind, f"{name}:{bad}", (bad, "unknown model"))
    if kind == "unknown modifier":
        bad = draw(_not_a_modifier)
        return _Mistake(kind, f"{name}:int:{bad}", (f'"{bad}"', "unknown modifier"))
    if kind == "not snake_case":
        bad = draw(
            st.sampled_from(
                [f"{name}X", f"X{name}", f"{name}__x", f"_{name}", f"{name}_"]
            )
            | st.sampled_from([f"1{name}", f"{name}-x", f"{name}.x"])
        )
        return _Mistake(kind, f"{bad}:int", (f'"{bad}"', "snake_case"))
    if kind == "keyword":
        bad = draw(
            st.sampled_from(sorted(word for word in PY_KEYWORDS if word.islower()))
        )
        return _Mistake(kind, f"{bad}:int", (bad, "keyword"))
    if kind == "reserved":
        bad = draw(st.sampled_from(sorted(RESERVED_FIELDS)))
        return _Mistake(kind, f"{bad}:int", (bad, "reserved"))
    if kind == "refused":
        bad = draw(st.sampled_from(sorted(REFUSED_FIELDS)))
        return _Mistake(kind, f"{bad}:int", (bad, "cannot be used"))
    if kind == "shadowing":
        bad = draw(st.sampled_from(sorted(SHADOWING_FIELDS)))
        return _Mistake(kind, f"{bad}:int", (bad, "shadow"))
    if kind == "too long":
        bad = (name * 10)[: draw(st.integers(MAX_FIELD + 1, 40))]
        return _Mistake(kind, f"{bad}:int", (bad, f"at most {MAX_FIELD}"))
    if kind == "bad str length":
        bad = draw(
            st.sampled_from(
                ["0", "00", "-1", "1.5", "abc", "", str(MAX_STR_LENGTH + 1)]
            )
            | st.integers(MAX_STR_LENGTH + 1, 10**8 - 1).map(str)
        )
        return _Mistake(kind, f"{name}:str{{{bad}}}", (f'"{bad}"', "str{N}"))
    if kind == "bad decimal":
        most = MAX_PRECISION[database]
        precision = draw(st.integers(1, most))
        bad = draw(
            st.sampled_from(
                [
                    str(precision), f"{precision},{precision + 1}", "0,0",
                    f"{most + 1},0", f"{most + 1},{most + 1}", "10000,0", "a,b",
                    f"{precision},", "",
                ]
            )
        )  # fmt: skip
        return _Mistake(kind, f"{name}:decimal{{{bad}}}", (f'"{bad}"', "decimal{P,S}"))
    if kind == "enum without values":
        return _Mistake(kind, f"{name}:enum{{}}", ("enum needs its values",))
    if kind == "bad enum value":
        good = draw(enum_values())
        bad = draw(
            st.sampled_from([f"{good}X", f"X{good}", f"{good}__x", f"_{good}", "class"])
            | st.sampled_from([f"1{good}", f"{good}-x", "None", "if"])
        )
        values = draw(st.permutations([good, bad]))
        return _Mistake(
            kind, f"{name}:enum{{{','.join(values)}}}", (f'"{bad}"', "snake_case")
        )
    if kind == "enum value twice":
        value = draw(enum_values())
        return _Mistake(kind, f"{name}:enum{{{value},{value}}}", (value, "given twice"))
    if kind == "arguments on a scalar":
        base = draw(
            st.sampled_from(
                [t for t in SCALAR_TYPES if t not in {"str", "decimal", "enum"}]
            )
        )
        return _Mistake(kind, f"{name}:{base}{{4}}", (f"{base} takes no",))
    if kind in {"json unique", "json index"}:
        modifier = kind.split()[1]
        return _Mistake(
            kind,
            f"{name}:json:{modifier}",
            ("json columns cannot be unique or indexed",),
        )
    if kind == "setnull on a required reference":
        return _Mistake(
            kind,
            f"{name}:{other}:setnull",
            ("setnull needs a nullable reference", f"{name}:{other}?:setnull"),
        )
    if kind == "reference modifier on a scalar":
        modifier = draw(st.sampled_from(["cascade", "setnull"]))
        base = draw(st.sampled_from(SCALAR_TYPES).filter(lambda t: t != "enum"))
        return _Mistake(
            kind, f"{name}:{base}:{modifier}", (modifier, "only applies to references")
        )
    if kind == "cascade and setnull":
        return _Mistake(
            kind,
            f"{name}:{other}?:cascade:setnull",
            ("choose one of cascade and setnull",),
        )
    if kind == "arguments on a reference":
        return _Mistake(kind, f"{name}:{other}{{3}}?", ("takes no {...} arguments",))
    if kind == "modifier twice":
        modifier = draw(st.sampled_from(["unique", "index"]))
        return _Mistake(
            kind, f"{name}:int:{modifier}:{modifier}", (modifier, "given twice")
        )
    if kind == "ambiguous enum value":
        bad = draw(st.sampled_from(["i", "o"]))
        return _Mistake(
            kind, f"{name}:enum{{{bad},zz}}", (f"member {bad.upper()}", "E741")
        )
    if kind == "enum value too long":
        length = draw(st.integers(MAX_ENUM_VALUE + 1, MAX_ENUM_VALUE + 20))
        return _Mistake(
            kind,
            f"{name}:enum{{{'v' * length},zz}}",
            (f"{length} characters", f"at most {MAX_ENUM_VALUE}"),
        )
    if kind == "unique bool":
        return _Mistake(kind, f"{name}:bool:unique", ("unique bool",))
    if kind == "unique enum":
        return _Mistake(kind, f"{name}:enum{{a,b,c}}:unique", ("unique enum",))
    if kind == "text in a composite index":
        unbounded = draw(st.sampled_from(["text", "bytes"]))
        token = f"{name}:int {name}_x:{unbounded} index({name},{name}_x)"
        return _Mistake(kind, token, (f"includes {name}_x", "text or bytes"))
    return _Mistake(kind, name, (f'"{name}"', "expected name:type"))


@st.composite
def _with_field_mistake(
    draw: st.DrawFn, models: dict[str, str], database: str
) -> tuple[dict[str, str], tuple[str, ...], str]:
    model = draw(st.sampled_from(sorted(models)))
    mistake = draw(_field_mistakes(models, database))
    tokens = models[model].split()
    tokens.insert(draw(st.integers(0, len(tokens))), mistake.token)
    return {**models, model: " ".join(tokens)}, mistake.expected, mistake.description


# Classes whose module is a Python keyword.
MODULE_KEYWORD_CLASSES = frozenset(
    word.capitalize() for word in PY_KEYWORDS if word.islower() and word != "as"
)
# (model, field) whose enum class is a reserved name: Sql + alchemy_base.
RESERVED_ENUM_PAIRS = [
    ("Sql", "alchemy_base"), ("Foreign", "key"), ("Type", "var"),
    ("Large", "binary"), ("Big", "integer"), ("Meta", "data"),
]  # fmt: skip


@st.composite
def _with_model_mistake(
    draw: st.DrawFn, models: dict[str, str], database: str
) -> tuple[dict[str, str] | list[str], tuple[str, ...], str]:
    """A mistake that involves whole models: their names, duplicates, cycles and
    the names the generated code derives from them."""
    kind = draw(
        st.sampled_from(
            [
                "class not PascalCase", "class keyword", "class reserved",
                "class taking a package module", "class too long",
                "table SQLite reserves",
                "modules collide", "tables collide", "listed twice",
                "field spec not a string", "field used twice",
                "reference column used twice", "reverse collection collides",
                "required self reference", "required cycle",
                "enum class is a model", "enum classes collide",
                "enum type is a table", "indexes collide",
                "class ambiguous", "module a keyword", "table a keyword",
                "catalog prefix", "enum class reserved",
                "self many-to-many named after its module",
            ]
        )
    )  # fmt: skip
    fresh = _fresh_class(draw, models, "New")
    name = _fresh_name(draw, models, "g")
    target = draw(st.sampled_from(sorted(models)))
    if kind == "class not PascalCase":
        bad = draw(
            st.sampled_from([snake(fresh), f"{fresh}_x", f"{fresh}-X", f"1{fresh}"])
        )
        return {**models, bad: ""}, (f'"{bad}"', "PascalCase"), kind
    if kind == "class keyword":
        bad = draw(st.sampled_from(["None", "True", "False"]))
        return {**models, bad: ""}, (bad, "keyword"), kind
    if kind == "class reserved":
        # TYPE_CHECKING is refused sooner, as not PascalCase.
        bad = draw(st.sampled_from(sorted(RESERVED_CLASSES - {"TYPE_CHECKING"})))
        return {**models, bad: ""}, (bad, "used by the generated code"), kind
    if kind == "class taking a package module":
        module = draw(st.sampled_from(sorted(RESERVED_MODULES)))
        return {**models, pascal(module): ""}, (f"{module}.py", "would replace"), kind
    if kind == "class ambiguous":
        bad = draw(st.sampled_from(sorted(AMBIGUOUS_NAMES - set(models))))
        return {**models, bad: ""}, (f"ruff refuses {bad}", "E742"), kind
    if kind in {"module a keyword", "table a keyword"}:
        # `With` makes the module `with`; `A` the table `as`.
        candidates = {"A"} if kind == "table a keyword" else MODULE_KEYWORD_CLASSES
        bad = draw(st.sampled_from(sorted(candidates - set(models)) or ["With"]))
        word = "table name as" if bad == "A" else f"module name {snake(bad)}"
        return {**models, bad: ""}, (word, "keyword"), kind
    if kind == "catalog prefix":
        bad = f"Pg{fresh}"
        return {**models, bad: ""}, (table_of(bad), "PostgreSQL keeps"), kind
    if kind == "enum class reserved":
        model, field_name = draw(
            st.sampled_from(
                [pair for pair in RESERVED_ENUM_PAIRS if pair[0] not in models]
                or [RESERVED_ENUM_PAIRS[0]]
            )
        )
        reserved = model + pascal(field_name)
        return (
            {**models, model: f"{field_name}:enum{{a,b}}"},
            (reserved, "name the generated code uses"),
            kind,
        )
    if kind == "table SQLite reserves":
        bad = f"Sqlite{fresh}"
        return {**models, bad: ""}, (bad, "SQLite keeps"), kind
    if kind == "class too long":
        bad = fresh + "Y" * draw(st.integers(MAX_CLASS - len(fresh) + 1, 50))
        return {**models, bad: ""}, (bad, "too long"), kind
    if kind == "modules collide":
        # `NewAbcDef` and `NEWAbcDef` are both new_abc_def.
        loud = fresh[:3].upper() + fresh[3:] + "Def"
        quiet = fresh + "Def"
        return (
            {**models, loud: "", quiet: ""},
            (snake(quiet), "same as that of model"),
            kind,
        )
    if kind == "tables collide":
        # `...Bus` and `...Buse` both make `..._buses`.
        return (
            {**models, f"{fresh}Bus": "", f"{fresh}Buse": ""},
            (table_of(f"{fresh}Bus"), "same as that of model"),
            kind,
        )
    if kind == "listed twice":
        names = sorted(models)
        return [*names, target], (target, "listed twice"), kind
    if kind == "field spec not a string":
        return (
            {**models, target: [f"{name}:str"]},
            (f"model {target}", "must be a string"),
            kind,
        )
    if kind == "field used twice":
        return (
            {**models, fresh: f"{name}:int {name}:text"},
            (name, "already used"),
            kind,
        )
    if kind == "reference column used twice":
        return (
            {**models, fresh: f"{name}:{target}? {name}_id:int"},
            (f"{name}_id", "already used"),
            kind,
        )
    if kind == "reverse collection collides":
        reverse = table_of(fresh)
        spec = " ".join([*models[target].split(), f"{reverse}:int"])
        return (
            {**models, target: spec, fresh: f"{name}:{target}?"},
            (f"{target}.{reverse}", "collides"),
            kind,
        )
    if kind == "self many-to-many named after its module":
        # Its association table's columns, <module>_id and <field>_id, meet.
        module = snake(fresh)
        return (
            {**models, fresh: f"{module}:{fresh}[]"},
            (f"{table_of(fresh)}_{module}", f"two {module}_id columns"),
            kind,
        )
    if kind == "required self reference":
        return {**models, fresh: f"{name}:{fresh}"}, (fresh, "cycle"), kind
    if kind == "required cycle":
        other = _fresh_class(draw, {**models, fresh: ""}, "Odd")
        pair = ", ".join(sorted([fresh, other]))
        return (
            {**models, fresh: f"{name}:{other}", other: f"{name}:{fresh}"},
            (pair, "cycle"),
            kind,
        )
    if kind == "enum class is a model":
        clash = fresh + pascal(name)
        return (
            {**models, fresh: f"{name}:enum{{a,b}}", clash: ""},
            (clash, "enum class"),
            kind,
        )
    if kind == "enum type is a table":
        # The enum type of `Fresh.data` and the table of `FreshDatum` are fresh_data.
        return (
            {**models, fresh: "data:enum{a,b}", f"{fresh}Datum": ""},
            (f"{snake(fresh)}_data", "is also that of"),
            kind,
        )
    if kind == "indexes collide":
        # `Fresh.foos_<name>` and `FreshFoo.<name>` are both indexed as
        # ix_<fresh table>_foos_<name>.
        table = table_of(fresh)
        return (
            {
                **models,
                fresh: f"foos_{name}:int:index",
                f"{pascal(table)}Foo": f"{name}:int:index",
            },
            (constraint_name("ix", table, f"foos_{name}"), "is also that of"),
            kind,
        )
    # `Fresh.<name>_x` and `Fresh<Name>.x` both give the enum class FreshNameX.
    inner = fresh + pascal(name)
    return (
        {**models, fresh: f"{name}_x:enum{{a}}", inner: "x:enum{b}"},
        (inner + "X", "also generated for"),
        kind,
    )


@st.composite
def invalid_answers(draw: st.DrawFn) -> InvalidAnswer:
    """Valid answers with one mistake added, and what its refusal must contain."""
    project_name = draw(project_names())
    database = draw(st.sampled_from(["sqlite", "postgresql"]))
    models = _as_mapping(
        draw(models_answers(database, min_models=1, max_models=4, max_fields=4))
    )
    mutate = draw(st.sampled_from([_with_field_mistake, _with_model_mistake]))
    bad_models, expected, description = draw(mutate(models, database))
    answers = {"project_name": project_name, "database": database, "models": bad_models}
    return InvalidAnswer(answers, expected, description)
