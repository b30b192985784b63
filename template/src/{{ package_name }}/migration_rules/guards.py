"""A downgrade that would add back required columns to tables holding rows stops
before it changes anything.

Autogenerate looks at the rows an upgrade meets (`existing_rows`); a downgrade
meets rows no one looked at. Adding a column that is required and has no default
fails over rows on SQLite and PostgreSQL, after the revision's earlier steps ran
(rolled back there), and on MariaDB fills the rows with '' or 0 or fails midway,
its earlier steps committed. The guard counts the rows first.
"""

from alembic import op
from alembic.autogenerate.api import AutogenContext
from alembic.autogenerate.render import renderers
from alembic.operations.ops import (
    AddColumnOp,
    DowngradeOps,
    MigrateOperation,
    ModifyTableOps,
)
from alembic.util import CommandError
from sqlalchemy import func, select, table


class RefuseRowsOp(MigrateOperation):
    """Stop the migration if `table_name` holds rows, which the required
    `columns` it adds back would need values for."""

    def __init__(self, table_name: str, columns: list[str]) -> None:
        self.table_name = table_name
        self.columns = columns


@renderers.dispatch_for(RefuseRowsOp)
def render_refuse_rows(autogen_context: AutogenContext, guard: RefuseRowsOp) -> str:
    autogen_context.imports.add(f"from {__name__} import refuse_rows")
    return f"refuse_rows({guard.table_name!r}, {guard.columns!r})"


def refuse_rows(table_name: str, columns: list[str]) -> None:
    """Raise, changing nothing, when `table_name` holds rows: adding the
    required `columns` without defaults cannot give them values."""
    rows = op.get_bind().scalar(select(func.count()).select_from(table(table_name)))
    if rows:
        added = ", ".join(f"{table_name}.{name}" for name in columns)
        msg = (
            f"{table_name} holds {rows} rows, and this migration adds {added} back, "
            "required and without a default: the rows have no values for them. "
            "Nothing was changed. Delete or move the rows, or give the columns a "
            "server_default in this revision, then run it again."
        )
        raise CommandError(msg)


def guard_required_columns(downgrade: DowngradeOps) -> None:
    """Put a RefuseRowsOp first for each table the downgrade adds required
    columns without defaults to."""
    guards = []
    for change in downgrade.ops:
        if not isinstance(change, ModifyTableOps):
            continue
        columns = [
            added.column.name
            for added in change.ops
            if isinstance(added, AddColumnOp)
            and not added.column.nullable
            and added.column.server_default is None
        ]
        if columns:
            guards.append(RefuseRowsOp(change.table_name, columns))
    downgrade.ops[:0] = guards
