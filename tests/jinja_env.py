"""The template's Jinja includes, rendered in-process: a Jinja environment built
as Copier builds its own for this template, and the models parser of
includes/schema.jinja called through it, as copier.yml calls it."""

from __future__ import annotations

import json
from functools import cache, partial
from typing import Any

from copier._jinja_ext import CopierTemplateLoader, SandboxedEnvironment, YieldExtension
from copier._template import filter_config, load_template_config
from copier._user_data import parse_yaml_string
from pydantic_core import to_jsonable_python

from tests.tooling import TEMPLATE_ROOT


@cache
def copier_config() -> tuple[dict[str, Any], dict[str, Any]]:
    """copier.yml as Copier reads it: its settings (without the leading _) and
    its questions."""
    return filter_config(load_template_config(TEMPLATE_ROOT / "copier.yml"))


@cache
def template_environment() -> SandboxedEnvironment:
    """The environment `copier.Worker.jinja_env` builds for this template: the
    template root as the loader root, Copier's default extensions, the template's
    `_envops` over Copier's default of keeping trailing newlines, and Copier's
    patched `to_json` filter. One per session, as Copier keeps one per run: the
    parser remembers its parses in it."""
    settings, _ = copier_config()
    envops = {"keep_trailing_newline": True, **settings.get("envops", {})}
    environment = SandboxedEnvironment(
        loader=CopierTemplateLoader(TEMPLATE_ROOT),
        extensions=[
            "jinja2_ansible_filters.AnsibleCoreFiltersExtension",
            YieldExtension,
        ],
        **envops,
    )
    environment.filters["to_json"] = partial(
        environment.filters["to_json"], default=to_jsonable_python
    )
    return environment


def render(source: str, **context: Any) -> str:
    """Render a template string, as Copier renders a default or a validator."""
    return template_environment().from_string(source).render(**context)


def include_value(include: str, name: str) -> Any:
    """A constant an include defines (a limit, a list of names), as the other
    includes import it: `include_value("reserved", "RESERVED_CLASSES")`."""
    return json.loads(
        render(
            f"{{% from 'includes/{include}.jinja' import {name} %}}{{{{ {name} | tojson }}}}"
        )
    )


def question_default(name: str) -> Any:
    """The answer `copier copy --defaults` gives question `name` in a new
    project, cast as Copier casts it (`type: yaml`, `bool`)."""
    _, questions = copier_config()
    question = questions[name]
    default = question["default"]
    if isinstance(default, str) and "{" in default:
        default = parse_yaml_string(render(default, updating_project=False))
    return default


def answered(answers: dict[str, Any]) -> tuple[Any, str, str, bool]:
    """What the parser gets from `answers` given to `copier copy --defaults`: the
    `models`, `database`, `primary_key` and `timestamps` answers, those given,
    else the questions' defaults for a new project."""
    return (
        answers["models"] if "models" in answers else question_default("models"),
        answers.get("database", question_default("database")),
        answers.get("primary_key", question_default("primary_key")),
        answers.get("timestamps", question_default("timestamps")),
    )


def parse(
    models: Any, database: str, primary_key: str = "bigint", timestamps: bool = True
) -> dict[str, Any]:
    """The schema document the computed `schema` question of copier.yml holds."""
    document: dict[str, Any] = json.loads(
        render(
            "{% from 'includes/schema.jinja' import schema %}"
            "{{ schema(models, database, primary_key, timestamps) }}",
            models=models,
            database=database,
            primary_key=primary_key,
            timestamps=timestamps,
        )
    )
    return document


def errors(
    models: Any, database: str, primary_key: str = "bigint", timestamps: bool = True
) -> list[str]:
    """The lines of the `models` validator's message: empty for a valid answer."""
    message = render(
        "{% from 'includes/schema.jinja' import errors %}"
        "{{ errors(models, database, primary_key, timestamps) }}",
        models=models,
        database=database,
        primary_key=primary_key,
        timestamps=timestamps,
    )
    return message.splitlines()
