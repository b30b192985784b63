"""The schema-evolution matrix as data: the `models` answers a project walks through.

Every construct of the models language is a field with a spec before and after a
change (CONSTRUCTS). The project starts with `Archive` holding every construct
(built by the template's initial revision), then each step is one `copier update`:

- `add`: every construct added to the existing model `Book`; a new model `Crate`
  holding every construct; a reference from `Book` to the new `Crate`, and between
  `Crate` and the existing `Archive` one each way (a cycle);
- `change`: every construct changed, in `Archive`, `Book` and `Crate` alike;
- `rename`: `Crate` renamed `Box` (`was(Crate)`), with every construct and the
  references to it; fields of `Book` renamed (`:was=...`), one of each kind
  (RENAMED_FIELDS), composites over them included;
- `remove`: every construct removed from `Book`; `Box` and `Archive` dropped
  (with the cycle of references between them and the one from `Book`).

`{self}` in a spec stands for the model the field belongs to; an empty side is a
construct that is not there (added or removed by the change); a construct with no
field is a model-level token (unique(...), index(...)).
"""

from __future__ import annotations

from typing import NamedTuple


class Construct(NamedTuple):
    field: str
    before: str
    after: str
    change: str


CONSTRUCTS = [
    Construct("label", "str", "str{40}", "str -> str{N}"),
    Construct("name80", "str{80}", "str{200}", "str{80} -> str{200}"),
    Construct("body", "text", "str{500}", "text -> str{N}"),
    Construct("count", "int", "bigint", "int -> bigint"),
    Construct("total", "bigint", "int", "bigint -> int"),
    Construct("ratio", "float", "decimal{10,2}", "float -> decimal{P,S}"),
    Construct("amount", "decimal", "decimal{10,2}", "decimal -> decimal{P,S}"),
    Construct("price", "decimal{10,2}", "decimal{12,4}", "decimal{10,2} -> {12,4}"),
    Construct("flag", "bool", "bool?", "bool: required -> nullable"),
    Construct("day", "date", "datetime", "date -> datetime"),
    Construct("seen_at", "datetime?", "datetime", "datetime: nullable -> required"),
    Construct("clock", "time", "time:index", "time: index added"),
    Construct("token", "uuid", "uuid:unique", "uuid: unique added"),
    Construct("doc", "json", "json?", "json: required -> nullable"),
    Construct("blob", "bytes?", "bytes", "bytes: nullable -> required"),
    Construct("level", "enum{low,mid,high}", "enum{low,mid,high,top}", "enum +value"),
    Construct("mood", "enum{sad,calm,glad}", "enum{calm,glad}", "enum -value"),
    Construct("phase", "enum{draft,live}", "str{20}", "enum -> str"),
    Construct("stage", "str{20}", "enum{todo,done}", "str -> enum"),
    Construct("note", "str?", "str", "str: nullable -> required"),
    Construct("code", "str{20}:unique", "str{20}", "unique removed"),
    Construct("slug", "str{20}:index", "str{20}", "index removed"),
    Construct("sku", "str{20}:unique:index", "str{20}:index", "unique index -> index"),
    Construct("rank", "int:index", "int:unique", "index -> unique"),
    Construct("owner", "Author", "Author:cascade", "reference: plain -> cascade"),
    Construct("helper", "Author?", "Author", "reference: nullable -> required"),
    Construct("editor", "Author?:setnull", "Author?:cascade", "setnull -> cascade"),
    Construct("writer", "Author:cascade", "Author?:setnull", "cascade -> setnull"),
    Construct("parent", "{self}?", "{self}?:setnull", "self reference: +setnull"),
    Construct("mentor", "Author:unique", "Author", "unique reference -> plain"),
    Construct("buddy", "Author", "Author:unique", "plain -> unique reference"),
    Construct("sponsor", "Author?:unique", "Author?:unique:setnull", "+setnull"),
    Construct("patron", "Author?", "{self}?", "reference retargeted"),
    Construct("active", "bool=true", "bool=false", "bool default changed"),
    Construct("stock", "int", "int=0", "int default added"),
    Construct("fee", "decimal{8,2}=1.50", "decimal{8,2}", "decimal default removed"),
    Construct("weight", "float=0.5", "float=1.5", "float default changed"),
    Construct("tier", "str{20}=basic", "str{20}=premium", "str default changed"),
    Construct(
        "state", "enum{new,old}=new", "enum{new,old}=old", "enum default changed"
    ),
    Construct("opened", "datetime", "datetime=now", "datetime default now added"),
    Construct("meta", "json={}", "json=[]", "json default changed"),
    Construct("ident", "uuid", "uuid=new", "uuid default new added"),
    Construct("qty", "int:min=0", "int:min=1:max=100", "check changed, check added"),
    Construct("score", "float:max=10", "float", "check removed"),
    Construct("nick", "str{30}", "str{30}:min=2", "length check added"),
    Construct("fans", "Author[]", "", "many-to-many removed"),
    Construct("likes", "", "Author[]", "many-to-many added"),
    Construct("peers", "", "{self}[]", "self many-to-many added"),
    Construct(
        "", "unique(label,count)", "index(label,count)", "composite unique -> index"
    ),
    Construct("", "", "unique(slug,rank)", "composite unique added"),
    Construct("", "index(clock,flag)", "", "composite index removed"),
]


def spec(model: str, side: str, extra: str = "") -> str:
    """`model`'s field spec with every construct as it is `before` or `after`."""
    tokens = [
        (f"{construct.field}:{value}" if construct.field else value).replace(
            "{self}", model
        )
        for construct in CONSTRUCTS
        if (value := getattr(construct, side))
    ]
    return " ".join([extra, *tokens]).strip()


# Fields of `Book` the `rename` step renames: a string, an enum, a reference, a
# unique field, one with CHECKs, a many-to-many, and one in a composite unique.
RENAMED_FIELDS = {
    "label": "caption",
    "level": "grade",
    "owner": "keeper",
    "token": "ticket",
    "qty": "quantity",
    "likes": "adores",
    "slug": "path",
}


def renamed_spec(model: str, extra: str) -> str:
    """`model`'s field spec `after` the change, RENAMED_FIELDS renamed."""
    tokens = []
    for token in spec(model, "after").split():
        name = token.split(":")[0]
        if name in RENAMED_FIELDS:
            tokens.append(f"{RENAMED_FIELDS[name]}:{token.split(':', 1)[1]}:was={name}")
        elif token.endswith(")"):
            kind, names = token[:-1].split("(")
            renamed = [RENAMED_FIELDS.get(n, n) for n in names.split(",")]
            tokens.append(f"{kind}({','.join(renamed)})")
        else:
            tokens.append(token)
    return " ".join([extra, *tokens])


AUTHOR = "name:str"
BOOK = "title:str"
CRATE = "archive:Archive?"
# With CRATE, a cycle of references between two models the last step removes.
ARCHIVE = "latest:Crate?"

INITIAL_MODELS = {
    "Author": AUTHOR,
    "Book": BOOK,
    "Archive": spec("Archive", "before"),
}

# step name -> the whole `models` answer after that step.
STEPS: dict[str, dict[str, str]] = {
    "add": {
        "Author": AUTHOR,
        "Book": spec("Book", "before", f"{BOOK} crate:Crate?"),
        "Crate": spec("Crate", "before", CRATE),
        "Archive": spec("Archive", "before", ARCHIVE),
    },
    "change": {
        "Author": AUTHOR,
        "Book": spec("Book", "after", f"{BOOK} crate:Crate?"),
        "Crate": spec("Crate", "after", CRATE),
        "Archive": spec("Archive", "after", ARCHIVE),
    },
    "rename": {
        "Author": AUTHOR,
        "Book": renamed_spec("Book", f"{BOOK} crate:Box?"),
        "Box": spec("Box", "after", f"was(Crate) {CRATE}"),
        "Archive": spec("Archive", "after", "latest:Box?"),
    },
    "remove": {
        "Author": AUTHOR,
        "Book": BOOK,
    },
}

# Fields a database's validator refuses, left out of its walk: MariaDB keeps no
# bare `decimal` (a DECIMAL without {P,S} holds whole numbers there).
REFUSED_ON: dict[str, set[str]] = {"mariadb": {"amount"}}


def models_on(database: str, models: dict[str, str]) -> dict[str, str]:
    """A `models` answer of INITIAL_MODELS or STEPS as `database` takes it."""
    refused = REFUSED_ON.get(database, set())
    return {
        model: " ".join(t for t in fields.split() if t.split(":")[0] not in refused)
        for model, fields in models.items()
    }


# Tables and columns a step renames: {old table: new table}, {(new table, old
# column): new column}. Their rows and values must be found under the new names.
RENAMES: dict[str, tuple[dict[str, str], dict[tuple[str, str], str]]] = {
    "rename": (
        {
            "crates": "boxes",
            "crates_likes": "boxes_likes",
            "crates_peers": "boxes_peers",
            "books_likes": "books_adores",
        },
        {
            **{
                ("books", f"{old}_id" if old == "owner" else old): (
                    f"{new}_id" if old == "owner" else new
                )
                for old, new in RENAMED_FIELDS.items()
                if old != "likes"
            },
            ("boxes_likes", "crate_id"): "box_id",
            ("boxes_peers", "crate_id"): "box_id",
        },
    ),
}

# Tables left empty before a step (see tests/evolution_rows.py): `add` gives
# `Book` required fields without defaults, which rows refuse (as
# tests/test_existing_rows.py shows); the rows of `Book` come before `change`.
EMPTY_BEFORE: dict[str, set[str]] = {"add": {"books"}}


class Decision(NamedTuple):
    """A change the seeded rows cannot take: autogenerate refuses it, then is
    given `-x <kind>=<table>.<column>[=<value>]`; the first row (the one that
    could not take it) then reads `kept`."""

    kind: str
    table: str
    column: str
    value: str
    kept: str

    @property
    def argument(self) -> str:
        target = f"{self.kind}={self.table}.{self.column}"
        return f"{target}={self.value}" if self.value else target


FILLED = "2024-01-01 00:00:00"
DECISIONS: dict[str, list[Decision]] = {
    "change": [
        decision
        for table in ("archives", "books", "crates")
        for decision in (
            Decision("accept_loss", table, "label", "", "x" * 40),
            Decision("fill", table, "seen_at", FILLED, FILLED),
            Decision("fill", table, "note", "none", "none"),
            Decision("fill", table, "mood", "calm", "calm"),
            Decision("fill", table, "helper_id", "1", "1"),
        )
    ],
}

# Steps whose downgrade the rows cannot take: `remove`'s puts back the required
# fields of `Book` without defaults, over its rows. The downgrade must then fail
# leaving the database as the upgrade left it.
DOWNGRADE_REFUSED = {"remove"}
