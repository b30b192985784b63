"""Column types shared by the models."""

import datetime as dt
import enum

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime, stored in UTC and read back aware on every database.

    SQLite has no time zone support: a plain `DateTime(timezone=True)` would hand
    back naive datetimes there. Naive datetimes are refused on the way in, because
    their time zone can only be guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = f"naive datetime {value!r}: pass an aware one, e.g. datetime.now(UTC)"
            raise ValueError(msg)
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def enum_values(enum_class: type[enum.Enum]) -> list[str]:
    """Store an enum's values, not its member names, in the database."""
    return [str(member.value) for member in enum_class]
