"""Queries whose SQL the ORM compiles once per database.

Django compiles a queryset's SQL anew each time it runs it. For the one-row reads that an
authenticated request makes (the token's account, a résumé with its owner's row, its PDF)
compiling was three quarters of the query's CPU (0.45 of 0.6 ms in one process), though only
the values change. A prepared query builds its queryset once per database with stand-ins for
the values, keeps the SQL, and runs it with the values of each call:

- PreparedQuery, one row, as a model instance;
- PreparedRows, the rows of a values() queryset page by page, for Django's Paginator.

Both read the rows straight from the cursor, with the fields' own converters, and build what
the ORM's iterables build: the ORM's row machinery (RawQuerySet's column matching, the
iterables, the compiler's converter generator) cost as much again as the SQL.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query

ModelType = TypeVar("ModelType", bound=Model)

# Stand-ins while the queryset is compiled: no row has a negative id, and no text holds NUL.
_ID_STAND_IN = -7_340_000_001
_TEXT_STAND_IN = "\0prepared-query-{}\0"


@dataclass(frozen=True)
class _Slot:
    """Where the SQL takes the value named `name`."""

    name: str


Converter = Callable[[Any, Expression, BaseDatabaseWrapper], Any]


class _Compiled:
    """A query's SQL with a slot for each value, and the columns it selects, whose
    converters (the backend's and the fields') turn database values into Python's."""

    def __init__(self, sql: str, parameters: list[object], columns: tuple[Expression, ...]):
        self.sql = sql
        self.parameters = parameters
        self.columns = columns
        # Per connection, for the USE_TZ they were looked up with.
        self._converters: WeakKeyDictionary[
            BaseDatabaseWrapper, tuple[bool, list[tuple[int, list[Converter], Expression]]]
        ] = WeakKeyDictionary()

    def parameters_for(self, values: Mapping[str, object]) -> list[object]:
        return [values[p.name] if isinstance(p, _Slot) else p for p in self.parameters]

    def converted(
        self, rows: list[tuple[Any, ...]], connection: BaseDatabaseWrapper
    ) -> list[tuple[Any, ...]] | list[list[Any]]:
        """`rows` with each column's converters applied, as the ORM's compiler applies them
        (SQLCompiler.apply_converters), looked up once per connection."""
        converters = self._column_converters(connection)
        if not converters:
            return rows
        converted = [list(row) for row in rows]
        for row in converted:
            _convert(row, converters, connection)
        return converted

    def converted_dicts(
        self, rows: list[tuple[Any, ...]], names: tuple[str, ...], connection: BaseDatabaseWrapper
    ) -> list[dict[str, Any]]:
        """converted(), as dicts of `names` (values()'s rows), without converting a copy of
        each row first."""
        dicts = [dict(zip(names, row, strict=True)) for row in rows]
        converters = [
            (names[position], functions, column)
            for position, functions, column in self._column_converters(connection)
        ]
        for row in dicts:
            _convert(row, converters, connection)
        return dicts

    def _column_converters(
        self, connection: BaseDatabaseWrapper
    ) -> list[tuple[int, list[Converter], Expression]]:
        use_tz = settings.USE_TZ
        cached = self._converters.get(connection)
        if cached is None or cached[0] != use_tz:
            cached = self._converters[connection] = (
                use_tz,
                [
                    (position, functions, column)
                    for position, column in enumerate(self.columns)
                    if (functions := _column_converters(connection, column, use_tz=use_tz))
                ],
            )
        return cached[1]

    def run(
        self,
        connection: BaseDatabaseWrapper,
        values: Mapping[str, object],
        *,
        sql_after: str = "",
    ) -> list[tuple[Any, ...]] | list[list[Any]]:
        """The converted rows of the query for these values; `sql_after` ends the SQL (a
        LIMIT)."""
        return self.converted(self.fetched(connection, values, sql_after=sql_after), connection)

    def fetched(
        self, connection: BaseDatabaseWrapper, values: Mapping[str, object], *, sql_after: str = ""
    ) -> list[tuple[Any, ...]]:
        """run()'s rows as the database gives them, before conversion."""
        sql = f"{self.sql} {sql_after}" if sql_after else self.sql
        with connection.cursor() as cursor:
            cursor.execute(sql, self.parameters_for(values))
            return cursor.fetchall()


def _convert(
    row: list[Any] | dict[str, Any],
    converters: list[tuple[Any, list[Converter], Expression]],
    connection: BaseDatabaseWrapper,
) -> None:
    """Applies each column's converters to its value in `row`, by position or by name."""
    for key, functions, column in converters:
        value = row[key]
        for function in functions:
            value = function(value, column, connection)
        row[key] = value


def _column_converters(
    connection: BaseDatabaseWrapper, column: Expression, *, use_tz: bool
) -> list[Converter]:
    """The converters the compiler applies to `column`'s values. A backend's datetime
    converter (SQLite's, MySQL's) makes a naive value aware in the connection's zone; it
    read USE_TZ through the lazy settings and checked awareness twice for each value (2.1
    against 1.0 µs, two values a list row), so the same step is taken here directly, and
    anything else still goes to it."""
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    backend_converter = getattr(connection.ops, "convert_datetimefield_value", None)
    if not use_tz or backend_converter not in converters:
        return converters
    return [_made_aware(backend_converter) if c == backend_converter else c for c in converters]


def _made_aware(backend_converter: Converter) -> Converter:
    def convert(value: Any, expression: Expression, connection: BaseDatabaseWrapper) -> Any:
        if value.__class__ is datetime and value.tzinfo is None:
            return value.replace(tzinfo=connection.timezone)  # timezone.make_aware's step
        return backend_converter(value, expression, connection)

    return convert


class _Preparation(Generic[ModelType]):
    """What both kinds of prepared query share: the queryset built with stand-ins, its SQL
    compiled once per database with a slot for each value, and the check of the ids."""

    def __init__(
        self,
        build: Callable[..., QuerySet[ModelType]],
        ids: tuple[str, ...],
        texts: tuple[str, ...],
    ) -> None:
        self._build = build
        self._ids = ids
        self._stand_ins: dict[str, object] = {
            **{name: _ID_STAND_IN - index for index, name in enumerate(ids)},
            **{name: _TEXT_STAND_IN.format(name) for name in texts},
        }

    @cached_property
    def model(self) -> type[ModelType]:
        return self.queryset_with_stand_ins().model

    def queryset_with_stand_ins(self) -> QuerySet[ModelType]:
        return self._build(**self._stand_ins)

    def database(self) -> str:
        return router.db_for_read(self.model)

    def ids_in_range(self, database: str, values: Mapping[str, object]) -> bool:
        """Whether every id fits a big-integer column: the ORM answers "no row" for one that
        does not, where the SQL would fail."""
        low, high = connections[database].ops.integer_field_range("BigIntegerField")
        return all(low <= values[name] <= high for name in self._ids)

    def compile(self, query: Query, database: str) -> tuple[_Compiled, SQLCompiler]:
        """The query's SQL with slots, and its compiler, set up (select, klass_info)."""
        compiler = query.get_compiler(database)
        sql, params = compiler.as_sql()
        slots = {value: _Slot(name) for name, value in self._stand_ins.items()}
        parameters = [slots.get(v, v) if type(v) in (int, str) else v for v in params]
        taken = sorted(p.name for p in parameters if isinstance(p, _Slot))
        if taken != sorted(self._stand_ins):
            raise ValueError(f"The query must take each of {sorted(self._stand_ins)} once: {sql}")
        columns = tuple(expression for expression, _, _ in compiler.select)
        return _Compiled(sql, parameters, columns), compiler


@dataclass(frozen=True)
class _CompiledInstance:
    """How a row of the query becomes a model instance, as the ORM's ModelIterable makes it."""

    query: _Compiled
    model_fields: slice
    attnames: list[str]
    annotations: dict[str, int]


class PreparedQuery(Generic[ModelType]):
    """The row of `build(**values)`, a query of at most one row (a primary key, a unique
    pair: with more, which one comes first is the database's choice), without compiling it
    again. `ids` name the values that are ids (of big-integer columns), `texts` those that
    are text compared as they are (exact lookups: a lookup that rewrites its value, such as
    icontains, cannot be prepared). `build` must take each as a parameter of its query,
    once; annotations become attributes of the instance, as with any queryset. No
    select_related: the instance is the model's own row."""

    def __init__(
        self,
        build: Callable[..., QuerySet[ModelType]],
        *ids: str,
        texts: tuple[str, ...] = (),
    ) -> None:
        self._preparation = _Preparation(build, ids, texts)
        self._compiled: dict[str, _CompiledInstance] = {}

    @property
    def model(self) -> type[ModelType]:
        return self._preparation.model

    def first(self, **values: object) -> ModelType | None:
        """The row for these values, None if there is none or an id is beyond the
        range of a big-integer column (as the ORM answers that; the SQL would fail)."""
        preparation = self._preparation
        database = preparation.database()
        if not preparation.ids_in_range(database, values):
            return None
        compiled = self._compiled.get(database) or self._compile(database)
        rows = compiled.query.run(connections[database], values)
        if not rows:
            return None
        row = rows[0]
        instance = self.model.from_db(database, compiled.attnames, row[compiled.model_fields])
        for name, position in compiled.annotations.items():
            setattr(instance, name, row[position])
        return instance

    def _compile(self, database: str) -> _CompiledInstance:
        query = self._preparation.queryset_with_stand_ins().using(database).query
        compiled, compiler = self._preparation.compile(query, database)
        klass_info = compiler.klass_info
        if klass_info is None or klass_info.get("related_klass_infos"):
            raise ValueError("PreparedQuery reads model instances of one model's own rows.")
        fields = klass_info["select_fields"]
        model_fields = slice(fields[0], fields[-1] + 1)
        attnames = [column.target.attname for column in compiled.columns[model_fields]]
        instance = _CompiledInstance(compiled, model_fields, attnames, compiler.annotation_col_map)
        self._compiled[database] = instance
        return instance


@dataclass(frozen=True)
class _CompiledRows:
    rows: _Compiled
    count: _Compiled
    names: tuple[str, ...]


class PreparedRows(Generic[ModelType]):
    """The rows of `build(**values)`, a values() queryset with an ordering (of columns and
    named expressions, no extra()), as dicts, page by
    page: `rows(**values)` is what Django's Paginator pages (a count, then a slice), each a
    query compiled once per database. `ids` and `texts` as PreparedQuery's.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet[ModelType, dict[str, Any]]],
        *ids: str,
        texts: tuple[str, ...] = (),
    ) -> None:
        self._preparation = _Preparation(build, ids, texts)
        self._compiled: dict[str, _CompiledRows] = {}

    def rows(self, **values: object) -> "PreparedRowsOf":
        return PreparedRowsOf(self, values)

    def count(self, values: Mapping[str, object]) -> int:
        database = self._preparation.database()
        if not self._preparation.ids_in_range(database, values):
            return 0
        compiled = self._compiled.get(database) or self._compile(database)
        return compiled.count.run(connections[database], values)[0][0]

    def page(
        self, values: Mapping[str, object], start: int, stop: int | None
    ) -> list[dict[str, Any]]:
        """Rows start to stop (None: to the end), as a slice of the queryset."""
        database = self._preparation.database()
        empty = stop is not None and stop <= start
        if empty or not self._preparation.ids_in_range(database, values):
            return []
        compiled = self._compiled.get(database) or self._compile(database)
        connection = connections[database]
        limit = connection.ops.limit_offset_sql(start, stop)
        rows = compiled.rows.fetched(connection, values, sql_after=limit)
        return compiled.rows.converted_dicts(rows, compiled.names, connection)

    def _compile(self, database: str) -> _CompiledRows:
        preparation = self._preparation
        queryset = preparation.queryset_with_stand_ins().using(database)
        query = queryset.query
        if not (query.values_select and queryset.ordered) or query.is_sliced:
            raise ValueError(
                "PreparedRows pages an ordered, unsliced values() queryset of columns."
            )
        rows, _ = preparation.compile(query, database)
        # In ValuesIterable's order: the columns, then the expressions.
        names = (*query.values_select, *query.annotation_select)
        if query.extra_select or len(rows.columns) != len(names):
            raise ValueError(f"PreparedRows reads columns and expressions only: {names}")
        # Counted as Django counts a query it cannot count in place (AggregateQuery): as
        # a subquery. Its SQL is the ORM's; the values stay parameters.
        counted, _ = preparation.compile(queryset.order_by().values("pk").query, database)
        count_sql = f"SELECT COUNT(*) FROM ({counted.sql}) subquery"  # noqa: S608
        count = _Compiled(count_sql, counted.parameters, ())
        compiled = self._compiled[database] = _CompiledRows(rows, count, names)
        return compiled


class PreparedRowsOf:
    """PreparedRows for one set of values: what Django's Paginator pages."""

    ordered = True  # the Paginator warns about unordered lists; the query has an order

    def __init__(self, prepared: PreparedRows[Any], values: Mapping[str, object]) -> None:
        self._prepared = prepared
        self._values = values

    def count(self) -> int:
        return self._prepared.count(self._values)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._prepared.page(self._values, 0, None))

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("PreparedRows are read a page (a slice) at a time.")
        start, stop = index.start or 0, index.stop
        if start < 0 or (stop is not None and stop < 0):
            raise ValueError("Negative indexing is not supported, as with querysets.")
        return self._prepared.page(self._values, start, stop)
