"""Every invalid answer is refused: a message naming the value and why, a non-zero
exit, and nothing written. Answers are data: none can inject code or escape the
destination."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

from tests.tooling import clear_multiline_answer, copy_project, loose

# (answers, text the error must contain: the bad value, and why)
BAD_ANSWERS: dict[str, tuple[dict[str, Any], list[str]]] = {
    # project_name
    "empty project name": ({"project_name": " "}, ["project_name must not be empty"]),
    "over-long project name": ({"project_name": "A" * 61}, ["at most 60"]),
    "quote in project name": (
        {"project_name": 'Bad "Name"'},
        ['Bad \\"Name\\"', "may hold only"],
    ),
    "jinja in project name": (
        {"project_name": "{{ 7 * 7 }}"},
        ["{{ 7 * 7 }}", "may hold only"],
    ),
    # project_slug
    "uppercase slug": ({"project_slug": "Chat_App"}, ['"Chat_App"', "lowercase words"]),
    "slug with double dash": (
        {"project_slug": "chat--app"},
        ['"chat--app"', "single dashes"],
    ),
    "over-long slug": ({"project_slug": "a" * 51}, ["at most 50"]),
    # package_name
    "keyword package": ({"package_name": "class"}, ['"class"', "keyword"]),
    "package starting with a digit": (
        {"package_name": "1app"},
        ['"1app"', "starting with a letter"],
    ),
    "package with a path separator": (
        {"package_name": "my/app"},
        ['"my/app"', "lowercase Python identifier"],
    ),
    "package climbing out": (
        {"package_name": ".."},
        ['".."', "lowercase Python identifier"],
    ),
    "package shadowing the standard library": (
        {"package_name": "json"},
        ['"json"', "standard library"],
    ),
    "package shadowing a dependency": (
        {"package_name": "sqlalchemy"},
        ['"sqlalchemy"', "dependency"],
    ),
    "package shadowing an async project's dependency": (
        {"package_name": "aiosqlite", "session_api": "async"},
        ['"aiosqlite"', "dependency"],
    ),
    "package shadowing the tests folder": (
        {"package_name": "tests"},
        ['"tests"', "folder"],
    ),
    # database
    "unknown database": ({"database": "mysql"}, ["'mysql'", "not in"]),
    # models: shape
    "models is a number": ({"models": 42}, ["42", "list of class names or a mapping"]),
    "models is a string": (
        {"models": "User"},
        ["User", "list of class names or a mapping"],
    ),
    "models is empty": ({"models": []}, ["models is empty"]),
    "field spec is a list": (
        {"models": {"User": ["email:str"]}},
        ["model User", "must be a string"],
    ),
    # models: class names
    "class name not PascalCase": (
        {"models": ["order_item"]},
        ['"order_item"', "PascalCase"],
    ),
    "class name is a keyword": ({"models": ["None"]}, ["None", "keyword"]),
    "class name reserved by the generated code": (
        {"models": ["SqlAlchemyBase"]},
        ["SqlAlchemyBase", "used by the generated code"],
    ),
    "class name listed twice": ({"models": ["User", "User"]}, ["User", "listed twice"]),
    "class name the starter tests use": (
        {"models": ["Session"]},
        ["Session", "used by the generated code"],
    ),
    "class name taking a module of the models package": (
        {"models": ["ModelBase"]},
        ["model_base.py", "would replace"],
    ),
    "class names equal after snake_casing": (
        {"models": ["HTTPRequest", "HttpRequest"]},
        ["http_request", "same as that of model"],
    ),
    "over-long class name": (
        {"models": ["VeryLongModelNameForTesting"]},
        ["VeryLongModelNameForTesting", "too long"],
    ),
    # models: fields
    "field without a type": (
        {"models": {"User": "email"}},
        ['"email"', "expected name:type"],
    ),
    "field name is a keyword": (
        {"models": {"User": "class:str"}},
        ["class", "keyword"],
    ),
    "field name not snake_case": (
        {"models": {"User": "eMail:str"}},
        ['"eMail"', "snake_case"],
    ),
    "field declared twice": (
        {"models": {"User": "email:str email:text"}},
        ["email", "already used"],
    ),
    "field named id": ({"models": {"User": "id:int"}}, ["id", "reserved"]),
    "field named metadata": (
        {"models": {"User": "metadata:json"}},
        ["metadata", "reserved"],
    ),
    "field named registry": (
        {"models": {"User": "registry:str"}},
        ["registry", "reserved"],
    ),
    "field shadowing a name the module uses": (
        {"models": {"User": "list:str"}},
        ["list", "shadow"],
    ),
    "over-long field name": (
        {"models": {"User": f"{'x' * 26}:str"}},
        ["x" * 26, "at most 25"],
    ),
    "unknown type": ({"models": {"User": "email:strr"}}, ['"strr"', "unknown type"]),
    "str length zero": ({"models": {"User": "name:str{0}"}}, ['"0"', "str{N}"]),
    "str length not a number": (
        {"models": {"User": "name:str{abc}"}},
        ['"abc"', "str{N}"],
    ),
    "decimal without scale": (
        {"models": {"User": "total:decimal{10}"}},
        ['"10"', "decimal{P,S}"],
    ),
    "decimal scale above precision": (
        {"models": {"User": "total:decimal{2,5}"}},
        ['"2,5"', "scale S from 0 to P"],
    ),
    "enum without values": (
        {"models": {"User": "state:enum{}"}},
        ["enum needs its values"],
    ),
    "enum value not snake_case": (
        {"models": {"User": "state:enum{Open,closed}"}},
        ['"Open"', "snake_case"],
    ),
    "enum value twice": (
        {"models": {"User": "state:enum{open,open}"}},
        ["open", "given twice"],
    ),
    "arguments on a type without any": (
        {"models": {"User": "age:int{4}"}},
        ["int takes no"],
    ),
    "unknown modifier": (
        {"models": {"User": "email:str:unqiue"}},
        ['"unqiue"', "unknown modifier"],
    ),
    "modifier given twice": (
        {"models": {"User": "email:str:unique:unique"}},
        ["unique", "given twice"],
    ),
    "json column made unique": (
        {"models": {"User": "doc:json:unique"}},
        ["json columns cannot be unique"],
    ),
    # models: references
    "reference to an unknown model": (
        {"models": {"Order": "buyer:Customer"}},
        ["Customer", "unknown model"],
    ),
    "setnull on a required reference": (
        {"models": {"User": "", "Order": "buyer:User:setnull"}},
        ["setnull needs a nullable reference", "buyer:User?:setnull"],
    ),
    "cascade on a plain column": (
        {"models": {"User": "title:str:cascade"}},
        ["cascade", "only applies to references"],
    ),
    "cascade and setnull together": (
        {"models": {"User": "", "Order": "buyer:User?:cascade:setnull"}},
        ["choose one of cascade and setnull"],
    ),
    "arguments on a reference": (
        {"models": {"User": "", "Order": "buyer:User{3}"}},
        ["takes no {...} arguments"],
    ),
    "field clashing with a reference column": (
        {"models": {"User": "", "Order": "buyer:User buyer_id:int"}},
        ["buyer_id", "already used"],
    ),
    "reverse collection clashing with a field": (
        {"models": {"User": "orders:str", "Order": "buyer:User"}},
        ["User.orders", "collides"],
    ),
    "required references in a cycle": (
        {"models": {"Egg": "hen:Hen", "Hen": "egg:Egg"}},
        ["Egg, Hen", "cycle"],
    ),
    "required self reference": (
        {"models": {"Category": "parent:Category"}},
        ["Category", "cycle"],
    ),
    "enum class clashing with a model": (
        {"models": {"Order": "status:enum{open}", "OrderStatus": ""}},
        ["OrderStatus", "enum class"],
    ),
    "two enum fields giving one enum class": (
        {
            "models": {
                "Order": "item_status:enum{open}",
                "OrderItem": "status:enum{open}",
            }
        },
        ["OrderItemStatus", "also generated for Order.item_status"],
    ),
    "reference to a model that is itself invalid": (
        {"models": {"Order": "buyer:Session", "Session": ""}},
        ["refers to model Session, which is itself invalid"],
    ),
    "table name SQLite reserves": (
        {"models": ["SqliteStat"]},
        ["sqlite_stats", "SQLite keeps"],
    ),
    "table name PostgreSQL keeps": (
        {"models": ["PgTable"]},
        ["pg_tables", "PostgreSQL keeps"],
    ),
    "enum type name PostgreSQL keeps": (
        {"models": {"Pg": "user:enum{a,b}"}},
        ["pg_user", "PostgreSQL keeps"],
    ),
    "class whose module is a keyword": (
        {"models": ["With"]},
        ["module name with", "keyword"],
    ),
    "class whose table is a keyword": (
        {"models": {"A": "", "B": "a:A"}},
        ["table name as", "keyword"],
    ),
    "ambiguous class name": ({"models": ["O"]}, ["ruff refuses O", "E742"]),
    "ambiguous enum value": (
        {"models": {"Item": "size:enum{i,x}"}},
        ["member I", "E741"],
    ),
    "over-long enum value": (
        {"models": {"Item": f"kind:enum{{{'a' * 64}}}"}},
        ["64 characters", "at most 63"],
    ),
    "enum class taking a reserved name": (
        {"models": {"Sql": "alchemy_base:enum{a,b}"}},
        ["SqlAlchemyBase", "name the generated code uses"],
    ),
    "unique bool": ({"models": {"Tag": "flag:bool:unique"}}, ["unique bool"]),
    "unique enum": (
        {"models": {"Tag": "kind:enum{a,b,c}:unique"}},
        ["unique enum", "one row per value"],
    ),
    "field named self": (
        {"models": {"User": "self:str"}},
        ["self", "constructor"],
    ),
    "field named l": ({"models": {"User": "l:int"}}, ["field name l", "E741"]),
    "index names meeting across models": (
        {"models": {"Sale": "orders_total:int:index", "SalesOrder": "total:int:index"}},
        ["ix_sales_orders_total", "Sale.orders_total", "SalesOrder.total"],
    ),
    "table named like an enum type": (
        {"models": {"Order": "data:enum{a,b}", "OrderDatum": ""}},
        ["order_data", "enum type of Order.data", "table of OrderDatum"],
    ),
    "decimal too precise for SQLite": (
        {"models": {"Price": "amount:decimal{16,2}"}},
        ['"16,2"', "from 1 to 15", "SQLite"],
    ),
    "decimal too precise for PostgreSQL": (
        {"database": "postgresql", "models": {"Price": "amount:decimal{1001,2}"}},
        ['"1001,2"', "from 1 to 1000"],
    ),
    "decimal without {P,S} on MariaDB": (
        {"database": "mariadb", "models": {"Price": "amount:decimal"}},
        ["amount", "decimal needs {P,S} on MariaDB"],
    ),
    "decimal scale over MariaDB's 38": (
        {"database": "mariadb", "models": {"Price": "amount:decimal{60,40}"}},
        ["decimal{60,40}", "scale over the 38"],
    ),
    "str longer than a MariaDB VARCHAR": (
        {"database": "mariadb", "models": {"Page": "body:str{16384}"}},
        ["str{16384}", "16383", "use text"],
    ),
    "str fields over MariaDB's row size": (
        {"database": "mariadb", "models": {"Page": "a:str{9000} b:str{9000}"}},
        ["model Page", "72", "65535"],
    ),
    "index over MariaDB's key length": (
        {
            "database": "mariadb",
            "models": {"Page": "a:str{500} b:str{500} index(a,b)"},
        },
        ["index(a,b)", "4000 bytes", "3072"],
    ),
    "index over a text field and another on MariaDB": (
        {
            "database": "mariadb",
            "models": {"Page": "n:int body:text index(n,body)"},
        },
        ["index(n,body)", "includes body", "unique(...)"],
    ),
    # models: defaults (=value after the type)
    "int default not a whole number": (
        {"models": {"Box": "count:int=abc"}},
        ['"abc"', "the default of int must be a whole number"],
    ),
    "number default outside the column": (
        {"models": {"Box": "count:int=3000000000"}},
        ["3000000000", "does not fit the column", "-2147483648 to 2147483647"],
    ),
    "decimal default too precise for decimal{P,S}": (
        {"models": {"Product": "price:decimal{5,2}=1.234"}},
        ["1.234", "does not fit the column", "2 after"],
    ),
    "bool default not true or false": (
        {"models": {"User": "active:bool=yes"}},
        ['"yes"', "true or false"],
    ),
    "enum default not among the values": (
        {"models": {"Post": "status:enum{draft,live}=gone"}},
        ['"gone"', "not one of the values (draft, live)"],
    ),
    "str default longer than the column": (
        {"models": {"Box": "code:str{3}=abcd"}},
        ["abcd", "longer than the column (str{3})"],
    ),
    "quoted str default": (
        {"models": {"Post": 'status:str="draft"'}},
        ['\\"draft\\"', "without spaces, colons, quotes or backslashes"],
    ),
    "json default other than {} or []": (
        {"models": {"Box": "doc:json=null"}},
        ['"null"', "the default of json is {} or []"],
    ),
    "date default other than now": (
        {"models": {"Box": "day:date=today"}},
        ['"today"', "the default of date is now"],
    ),
    "uuid default other than new": (
        {"models": {"Box": "sku:uuid=random"}},
        ['"random"', "the default of uuid is new"],
    ),
    "bytes default": (
        {"models": {"Box": "blob:bytes=abc"}},
        ['"blob:bytes=abc"', "bytes takes no default"],
    ),
    "reference with a default": (
        {"models": {"User": "", "Order": "buyer:User=1"}},
        ['"buyer:User=1"', "a reference takes no default"],
    ),
    "empty default": (
        {"models": {"Box": "count:int="}},
        ['"count:int="', "write the default after =", "count:int=0"],
    ),
    "default with a space": (
        {"models": {"Post": "title:str=two words"}},
        ['"title:str=two words"', "a default is one word, without spaces"],
    ),
    "default below min": (
        {"models": {"Product": "stock:int=-1:min=0"}},
        ["the default -1 is below min=0"],
    ),
    "str default longer than max": (
        {"models": {"Box": "code:str=abcdef:max=3"}},
        ["the default abcdef is longer than max=3"],
    ),
    # models: min=N / max=N
    "min above max": (
        {"models": {"Box": "size:int:min=5:max=3"}},
        ["min=5 is above max=3"],
    ),
    "bounds on a type without any": (
        {"models": {"User": "active:bool:min=0"}},
        ['"active:bool:min=0"', "min= and max= bound numbers", "not bool"],
    ),
    "bounds on a reference": (
        {"models": {"User": "", "Order": "buyer:User:min=1"}},
        ['"buyer:User:min=1"', "not references"],
    ),
    "bound not a number": (
        {"models": {"Box": "size:int:min=abc"}},
        ["min=abc", "must be a whole number"],
    ),
    "length bound not a whole number": (
        {"models": {"User": "name:str:max=2.5"}},
        ["max=2.5", "whole number of characters"],
    ),
    "bound outside decimal{P,S}": (
        {"models": {"Product": "price:decimal{5,2}:max=10000"}},
        ["max=10000", "does not fit the column", "at most 3 digits before the point"],
    ),
    "length bound longer than the column": (
        {"models": {"User": "name:str{10}:max=20"}},
        ["max=20", "longer than the column (str{10})"],
    ),
    "min without a value": (
        {"models": {"Box": "size:int:min"}},
        ['modifier "min"', "min=N"],
    ),
    "unique with a value": (
        {"models": {"Box": "size:int:unique=1"}},
        ['modifier "unique=1"', "without a value"],
    ),
    "unique column with fewer than ten values": (
        {"models": {"Box": "slot:int:min=1:max=3:unique"}},
        ["min=1 and max=3", "widen the bounds to ten values or more"],
    ),
    "unique column with one bound near the column's own limit": (
        {"models": {"Box": "slot:decimal{15,0}:min=999999999999991:unique"}},
        ["min=999999999999991", "own limit 999999999999999", "holds only 9"],
    ),
    # models: many-to-many (Model[])
    "nullable many-to-many": (
        {"models": {"Tag": "", "Post": "tags:Tag[]?"}},
        ['"tags:Tag[]?"', "many-to-many collection cannot be nullable"],
    ),
    "many-to-many with a modifier": (
        {"models": {"Tag": "", "Post": "tags:Tag[]:unique"}},
        ['"tags:Tag[]:unique"', "many-to-many collection takes no modifiers"],
    ),
    "many-to-many with a default": (
        {"models": {"Tag": "", "Post": "tags:Tag[]=x"}},
        ['"tags:Tag[]=x"', "many-to-many collection takes no default"],
    ),
    "[] after a scalar type": (
        {"models": {"Post": "scores:int[]"}},
        ['"scores:int[]"', "[] follows a model name", "not int"],
    ),
    "many-to-many to an unknown model": (
        {"models": {"Post": "tags:Tag[]"}},
        ['"tags:Tag[]"', "unknown model Tag"],
    ),
    "many-to-many reverse collection clashing with a field": (
        {"models": {"Tag": "posts:str", "Post": "tags:Tag[]"}},
        ["Tag.posts", "collides with field posts"],
    ),
    "association table named like a model's table": (
        {"models": {"Tag": "", "Post": "tags:Tag[]", "PostsTag": ""}},
        ["posts_tags", "table of PostsTag", "association table of Post.tags"],
    ),
    "association table constraint name too long": (
        {
            "models": {
                "NotificationSubscription": "",
                "ArchivedNotification": "subscriptions:NotificationSubscription[]",
            }
        },
        [
            "archived_notifications_subscriptions",
            "fk_archived_notifications_subscriptions_notification_subscription_id",
            "more than the 63",
        ],
    ),
    # A self many-to-many's columns are <module>_id and <field>_id: named after
    # the module, the field gives both sides one column name.
    "self many-to-many named after its own module": (
        {"models": {"User": "user:User[] name:str"}},
        ["model User, field user", "users_user", "two user_id columns", "rename"],
    ),
    "self many-to-many named after its own two-word module": (
        {"models": {"OrderItem": "order_item:OrderItem[]"}},
        ["order_items_order_item", "two order_item_id columns"],
    ),
    # models: one-to-one (a unique reference)
    "one-to-one reverse attribute clashing with a field": (
        {"models": {"User": "profile:str", "Profile": "user:User:unique"}},
        ["reverse attribute User.profile", "collides with field profile"],
    ),
    # models: unique(a,b) / index(a,b)
    "unknown field in unique(...)": (
        {"models": {"Post": "title:str unique(title,slug)"}},
        ['"unique(title,slug)"', "unknown field slug"],
    ),
    "unique(...) over one field": (
        {"models": {"Post": "title:str unique(title)"}},
        ['"unique(title)"', "two fields or more", "the unique modifier"],
    ),
    "field named twice in index(...)": (
        {"models": {"Post": "title:str body:text index(title,title)"}},
        ['"index(title,title)"', "field title is named twice"],
    ),
    "many-to-many named in unique(...)": (
        {"models": {"Tag": "", "Post": "title:str tags:Tag[] unique(title,tags)"}},
        ['"unique(title,tags)"', "tags is a many-to-many collection, not a column"],
    ),
    "json field in unique(...)": (
        {"models": {"Post": "title:str doc:json unique(title,doc)"}},
        ['"unique(title,doc)"', "json field doc cannot be part of a unique"],
    ),
    "composite constraint name too long": (
        {
            "models": {
                "Subscription": f"{'a' * 25}:str {'b' * 25}:str"
                f" unique({'a' * 25},{'b' * 25})"
            }
        },
        [f"uq_subscriptions_{'a' * 25}_{'b' * 25}", "68 characters", "63"],
    ),
    "composite constraint given twice": (
        {
            "models": {
                "Post": "slug:str title:str unique(slug,title) unique(slug,title)"
            }
        },
        ['"unique(slug,title)"', "given twice"],
    ),
    "composite with a space in it": (
        {"models": {"Post": "slug:str title:str unique(slug, title)"}},
        ['"unique(slug,"', "comma-separated, no spaces"],
    ),
    "composite index named like a column index": (
        {
            "models": {
                "Person": "first_last:str:index first:str last:str index(first,last)"
            }
        },
        ["ix_people_first_last", "index of Person.first_last", "index(first,last)"],
    ),
    # models: renames (was=, was(...))
    "renamed field whose former name is still a field": (
        {"models": {"Post": "title:str headline:str:was=title"}},
        ["field headline, was=title", "title is still a field of Post"],
    ),
    "renamed field whose former name is no field name": (
        {"models": {"Post": "headline:str:was=Title"}},
        ['"Title"', "is not a field name"],
    ),
    "two fields renamed from one": (
        {"models": {"Post": "headline:str:was=title heading:str:was=title"}},
        ["field heading, was=title", "field headline was title too"],
    ),
    "field renamed to itself": (
        {"models": {"Post": "title:str:was=title"}},
        ["field title, was=title", "renamed to itself"],
    ),
    "field with two former names": (
        {"models": {"Post": "headline:str:was=title:was=heading"}},
        ["field headline", "was= is given 2 times"],
    ),
    "was= written as a token of its own": (
        {"models": {"Post": "headline:str was=title"}},
        ['"was=title"', "modifier of the renamed field"],
    ),
    "renamed model whose former name is still a model": (
        {"models": {"Post": "title:str", "Article": "was(Post) title:str"}},
        ["model Article, was(Post)", "Post is still a model"],
    ),
    "renamed model whose former name is no class name": (
        {"models": {"Article": "was(post) title:str"}},
        ['"post"', "is not a class name"],
    ),
    "two models renamed from one": (
        {"models": {"Article": "was(Post)", "Story": "was(Post)"}},
        ["model Story, was(Post)", "model Article was Post too"],
    ),
    "model renamed to itself": (
        {"models": {"Post": "was(Post) title:str"}},
        ["model Post, was(Post)", "renamed to itself"],
    ),
    # models: timestamps (on by default in a new project)
    "created_at declared with timestamps on": (
        {"models": {"Post": "created_at:datetime"}},
        ["created_at", "reserved", "timestamps=false"],
    ),
    "updated_at declared with timestamps on": (
        {
            "models": {"Post": "updated_at:datetime"},
            "primary_key": "uuid",
            "timestamps": True,
        },
        ["updated_at", "reserved", "timestamps=false"],
    ),
    # primary_key
    "unknown primary key type": ({"primary_key": "smallint"}, ["'smallint'", "not in"]),
    # computed values are not answers
    "schema passed as an answer": (
        {"schema": {"errors": [], "models": []}},
        ["schema is computed from models"],
    ),
}


def judged_by_the_models_parser(answers: dict[str, Any]) -> bool:
    """Whether only the `models` validator judges `answers` (`models`, alone or
    with the other answers it reads: `database`, `primary_key`, `timestamps`):
    tests/test_parser.py checks those in-process, in about a second, and
    tests/test_parser_matches_copier.py proves Copier agrees."""
    return "models" in answers and set(answers) <= {
        "models",
        "database",
        "primary_key",
        "timestamps",
    }


PARSER_CASES = {
    k: v for k, v in BAD_ANSWERS.items() if judged_by_the_models_parser(v[0])
}
COPIER_CASES = {k: v for k, v in BAD_ANSWERS.items() if k not in PARSER_CASES}


def copier_copy(
    template: Path, destination: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref", "HEAD",
         *arguments, str(template), str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "expected"), COPIER_CASES.values(), ids=COPIER_CASES.keys()
)
def test_a_bad_answer_is_refused_naming_the_value(
    template: Path, tmp_path: Path, answers: dict[str, Any], expected: list[str]
) -> None:
    destination = tmp_path / "project"

    with pytest.raises(ValueError, match=r"Validation error|Invalid choice") as error:
        copy_project(template, destination, {"project_name": "App", **answers})

    for text in expected:
        assert text in str(error.value)
    assert not destination.exists()


def test_a_bad_answer_in_a_data_file_is_refused_by_the_command_line(
    template: Path, tmp_path: Path
) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text(yaml.safe_dump({"models": {"User": "email:strr"}}))
    destination = tmp_path / "project"

    result = copier_copy(template, destination, "--data-file", str(data_file))

    assert result.returncode != 0
    assert '"strr"' in result.stderr
    assert not destination.exists()


def test_a_bad_answer_given_with_data_on_the_command_line_is_refused(
    template: Path, tmp_path: Path
) -> None:
    destination = tmp_path / "project"

    result = copier_copy(template, destination, "--data", "package_name=import")

    assert result.returncode != 0
    assert 'package_name "import" is a Python keyword' in result.stderr
    assert not destination.exists()


def test_every_problem_in_the_models_answer_is_reported_at_once(
    template: Path, tmp_path: Path
) -> None:
    models = {"User": "email:strr", "order": "", "Order": "buyer:Nobody"}
    destination = tmp_path / "project"

    result = copier_copy(template, destination, "--data", f"models={models}")

    assert result.returncode != 0
    for text in ['"strr"', '"order"', "Nobody"]:
        assert text in result.stderr


def test_there_are_at_least_a_hundred_distinct_bad_answers() -> None:
    assert len(BAD_ANSWERS) >= 100


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(
            {"project_name": "{% include '/etc/passwd' %}"}, id="jinja include"
        ),
        pytest.param({"package_name": "../../outside"}, id="path traversal"),
        pytest.param(
            {"models": {"X__import__('os')": ""}}, id="python in a class name"
        ),
        pytest.param(
            {"models": {"User": "name:str{{ 7 * 7 }}"}}, id="jinja in a field spec"
        ),
        pytest.param(
            {"models": {"User": "x:int\nimport os"}}, id="python in a field spec"
        ),
    ],
)
def test_answers_cannot_inject_code_or_escape_the_destination(
    template: Path, tmp_path: Path, answers: dict[str, Any]
) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text(yaml.safe_dump({"project_name": "App", **answers}))
    destination = tmp_path / "nest" / "project"

    result = copier_copy(template, destination, "--data-file", str(data_file))

    assert result.returncode != 0
    assert list(tmp_path.iterdir()) == [data_file]


def test_the_prompt_refuses_bad_names_and_asks_again(
    template: Path, tmp_path: Path
) -> None:
    destination = tmp_path / "prompted"
    prompt = pexpect.spawn(
        sys.executable,
        ["-m", "copier", "copy", "--vcs-ref", "HEAD", str(template), str(destination)],
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    try:
        prompt.expect(loose("Human name of the project"))
        prompt.sendcontrol("u")  # clear the suggested default
        prompt.send('Bad "Name"\r')
        prompt.expect(loose("may hold only letters"))
        prompt.sendcontrol("u")
        prompt.send("Good Name\r")
        prompt.expect(loose("Distribution name"))
        prompt.send("\r")
        prompt.expect(loose("Import name"))
        prompt.sendcontrol("u")
        prompt.send("json\r")
        prompt.expect(loose("would shadow the standard library"))
        prompt.sendcontrol("u")
        prompt.send("good_name\r")
        for question in ("Database engine", "Session API", "primary key", "created_at"):
            prompt.expect(loose(question))
            prompt.send("\r")
        prompt.expect(loose("Finish with"))
        clear_multiline_answer(prompt)
        prompt.send("User: email:strr")
        prompt.send("\x1b\r")  # Esc, Enter: submit the multi-line answer
        prompt.expect(loose('unknown type "strr"'))
        prompt.sendcontrol("c")
        prompt.expect(pexpect.EOF)
    finally:
        prompt.close(force=True)

    assert prompt.exitstatus != 0
    assert not destination.exists()
