"""Settings from the environment: the one place the project reads it."""

import os
from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True, slots=True)
class Settings:
    """Which databases to use; `None` where the environment says nothing."""

    # DATABASE_URL: the application's database (a URL, or a SQLite file path).
    database_url: str | None = None
    # TEST_DATABASE_URL: the tests' own database, never the application's.
    test_database_url: str | None = None

    @classmethod
    def from_env(cls) -> Self:
        """Read DATABASE_URL and TEST_DATABASE_URL (empty counts as unset)."""
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            test_database_url=os.environ.get("TEST_DATABASE_URL") or None,
        )


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """Pool sizing for server databases; SQLite keeps SQLAlchemy's own pools."""

    size: int = 5
    max_overflow: int = 10
    recycle_seconds: int = 1800

    @classmethod
    def from_env(cls) -> Self:
        """Read DB_POOL_SIZE, DB_MAX_OVERFLOW and DB_POOL_RECYCLE, else the defaults."""
        defaults = cls()
        return cls(
            size=_env_int("DB_POOL_SIZE", defaults.size, minimum=1),
            max_overflow=_env_int("DB_MAX_OVERFLOW", defaults.max_overflow, minimum=0),
            recycle_seconds=_env_int(
                "DB_POOL_RECYCLE", defaults.recycle_seconds, minimum=-1
            ),
        )


def _env_int(name: str, default: int, *, minimum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        msg = f"{name}={raw!r} is not a whole number"
        raise ValueError(msg) from None
    if value < minimum:
        msg = f"{name}={value} is below the minimum of {minimum}"
        raise ValueError(msg)
    return value
