"""The rules `alembic revision --autogenerate` follows in this project.

- `portability`: what a revision writes runs up and down on SQLite and PostgreSQL
  alike, whichever it was made on;
- `rendering`: types, defaults and CHECK conditions written and compared the way
  the models declare them.
"""

from typing import Any

from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext

from .portability import (
    cast_explicitly,
    create_enum_types_portably,
    drop_tables_last,
    use_portable_types,
)


def process_revision_directives(
    migration: MigrationContext, _revision: Any, directives: list[MigrationScript]
) -> None:
    """Tidy what `alembic revision --autogenerate` writes, so that the revision
    runs up and down on SQLite and PostgreSQL alike, whichever it was made on."""
    config = migration.config
    if config is None or not getattr(config.cmd_opts, "autogenerate", False):
        return
    script = directives[0]
    upgrade, downgrade = script.upgrade_ops, script.downgrade_ops
    if upgrade is None or downgrade is None or upgrade.is_empty():
        directives[:] = []  # no schema change: no revision file
        return
    drop_tables_last(upgrade)
    if migration.dialect.name != "postgresql":
        use_portable_types(upgrade)
        create_enum_types_portably(
            migration, upgrade, migration.opts["target_metadata"]
        )
    upgrade.reverse_into(downgrade)
    for ops in (upgrade, downgrade):
        cast_explicitly(ops)
