"""The rules `alembic revision --autogenerate` follows in this project.

- `portability`: what a revision writes runs up and down on SQLite and PostgreSQL
  alike, whichever it was made on;
- `renames`: a field or model renamed in the models answer is renamed, its data
  kept, rather than dropped and added;
- `existing_rows`: a change the rows in the database cannot take stops before the
  revision is written, unless the user said what the rows become;
- `guards`: a downgrade that would add required columns back to tables holding
  rows stops before it changes anything;
- `rendering`: types, defaults and CHECK conditions written and compared the way
  the models declare them.
"""

import logging
import sys
from typing import Any

from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext

from .existing_rows import Decisions, ExistingRows
from .guards import guard_required_columns
from .portability import (
    cast_explicitly,
    create_enum_types_portably,
    drop_indexes_no_key_needs,
    drop_tables_last,
    keep_type_checks_to_sqlite,
    use_portable_types,
)
from .renames import rename

logger = logging.getLogger(__name__)

# Where the revision template (migrations/script.py.mako) finds the warnings.
WARNINGS = "revision_warnings"


def process_revision_directives(
    migration: MigrationContext, _revision: Any, directives: list[MigrationScript]
) -> None:
    """Tidy what `alembic revision --autogenerate` writes, so that the revision
    runs up and down on SQLite and PostgreSQL alike, whichever it was made on,
    and changes no row the user has not decided on."""
    config = migration.config
    if config is None or not getattr(config.cmd_opts, "autogenerate", False):
        return
    script = directives[0]
    upgrade, downgrade = script.upgrade_ops, script.downgrade_ops
    if upgrade is None or downgrade is None:
        return
    if migration.connection is None:  # offline: no rows to look at, no autogenerate
        return
    renamed = rename(migration.connection, upgrade, migration.opts["target_metadata"])
    rows = ExistingRows(
        migration.connection,
        migration.opts["target_metadata"],
        Decisions.parse(getattr(config.cmd_opts, "x", None) or []),
        ask=input if sys.stdin.isatty() else None,
    )
    rows.review(upgrade)
    if upgrade.is_empty() and not rows.changes_rows:
        directives[:] = []  # no schema change: no revision file
        return
    drop_tables_last(upgrade)
    if migration.dialect.name == "sqlite":
        keep_type_checks_to_sqlite(
            migration, upgrade, migration.opts["target_metadata"]
        )
    if migration.dialect.name != "postgresql":
        use_portable_types(upgrade)
        create_enum_types_portably(
            migration, upgrade, migration.opts["target_metadata"], renamed.types
        )
    upgrade.reverse_into(downgrade)
    for ops in (upgrade, downgrade):
        cast_explicitly(ops)
        drop_indexes_no_key_needs(ops, migration.opts["target_metadata"])
    guard_required_columns(downgrade)
    rows.apply(upgrade)
    warnings = renamed.warnings + rows.warnings
    for warning in warnings:
        logger.warning(warning)
    config.attributes[WARNINGS] = warnings
