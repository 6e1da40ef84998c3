"""Database expressions that write a value as the API represents it."""

from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, TextField
from django.db.models.sql.compiler import SQLCompiler

SQL = tuple[str, list[Any]]


class DateTimeText(Func):
    """A datetime column as DRF's DateTimeField writes it in the default time zone, UTC
    with USE_TZ: ISO 8601, "Z" for +00:00, the microseconds only when there are any.

    The database writes it: reading a datetime cost a list row three steps in Python (the
    driver's parse, making it aware, isoformat), a quarter of its CPU. PostgreSQL and
    SQLite, the backends the project runs on.
    """

    arity = 1
    output_field = TextField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> SQL:
        # Django stores a datetime as str() of its wall time (UTC with USE_TZ):
        # "YYYY-MM-DD HH:MM:SS[.ffffff]", isoformat()'s digits with a space for the "T".
        zone = "Z" if settings.USE_TZ else ""
        template = f"replace(%(expressions)s, ' ', 'T') || '{zone}'"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> SQL:
        # Without USE_TZ the connection's zone is TIME_ZONE, whose wall time DRF writes.
        wall_time = "(%(expressions)s AT TIME ZONE 'UTC')" if settings.USE_TZ else "%(expressions)s"
        zone = "Z" if settings.USE_TZ else ""
        template = (
            f"regexp_replace(to_char({wall_time}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
            f"'\\.000000$', '') || '{zone}'"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        template: str | None = None,
        **extra: Any,
    ) -> SQL:
        if template is None:
            raise NotSupportedError(f"DateTimeText is not written for {connection.vendor}.")
        return super().as_sql(compiler, connection, template=template, **extra)
