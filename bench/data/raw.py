"""Plain multi-row INSERTs for the big tables, and the statuses a year of work leaves."""

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from activities.choices import (
    ExecutionStatus,
    ReviewStatus,
)

PAST_STATUSES = [
    (ExecutionStatus.DONE, 85),
    (ExecutionStatus.NOT_APPLICABLE, 3),
    (ExecutionStatus.IN_PROGRESS, 4),
    (ExecutionStatus.NOT_STARTED, 8),
]
FUTURE_STATUSES = [
    (ExecutionStatus.DONE, 15),
    (ExecutionStatus.IN_PROGRESS, 20),
    (ExecutionStatus.NOT_STARTED, 65),
]
REVIEWS = [(ReviewStatus.ACCEPTED, 70), (ReviewStatus.RETURNED, 8), (ReviewStatus.NONE, 22)]


class _RawRows:
    """Plain multi-row INSERTs for the big tables (executions, evidence: hundreds of thousands of
    rows), where bulk_create spends ~0.3 ms a row building model instances and SQL.

    Rows are dicts of field attnames; every other column gets its model default (auto_now fields:
    now), so a field added later with a default needs nothing here. Values are adapted by the
    backend's `ops`, as the ORM would. Ids are given explicitly (`new_id`, or the next one when a
    row has none): the rows need no RETURNING, and PostgreSQL refuses a NULL id.
    """

    def __init__(self, model):
        self.model = model
        self.next_id = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.fields = [f for f in model._meta.concrete_fields]
        ops = connection.ops
        now = timezone.now()
        self.defaults, self.adapt = {}, {}
        for f in self.fields:
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                self.adapt[f.attname] = ops.adapt_datetimefield_value
            elif kind == "DateField":
                self.adapt[f.attname] = ops.adapt_datefield_value
            elif kind == "JSONField":
                self.adapt[f.attname] = lambda v, f=f: f.get_db_prep_save(v, connection)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            elif f.primary_key:
                default = None
            else:
                default = f.get_default()
            self.defaults[f.attname] = (
                f.get_db_prep_save(default, connection) if default is not None else None
            )
        self.table, self.columns = model._meta.db_table, [f.column for f in self.fields]

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def insert(self, rows: list[dict]) -> None:
        params = []
        pk = self.model._meta.pk.attname
        for row in rows:
            if row.get(pk) is None:
                row[pk] = self.new_id()
            values = []
            for f in self.fields:
                name = f.attname
                if name in row and row[name] is not None:
                    value = row[name]
                    adapt = self.adapt.get(name)
                    values.append(adapt(value) if adapt else value)
                else:
                    values.append(self.defaults[name])
            params.append(values)
        _insert(self.table, self.columns, params)

    def reset_sequence(self) -> None:
        """Explicit ids leave PostgreSQL's sequence behind; move it past them (nothing on SQLite)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


def _m2m(descriptor, pairs: list[tuple[int, int]]) -> None:
    """Insert (activity id, other id) rows into a many-to-many field's table."""
    field = descriptor.field
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    column = {f.attname: f.column for f in descriptor.through._meta.concrete_fields}
    _insert(descriptor.through._meta.db_table, [column[source], column[target]], pairs)


def _insert(table: str, columns: list[str], rows: list) -> None:
    """INSERT rows (sequences of values in `columns` order): COPY on PostgreSQL (psycopg binds
    parameters client-side, so a long multi-row INSERT spends its time splitting the query), and
    multi-row INSERTs on SQLite."""
    if not rows:
        return
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        mark = "(" + ", ".join(["%s"] * len(columns)) + ")"
        # Within the parameters a statement may carry (Django says 999 for SQLite).
        per_statement = max(1, (connection.features.max_query_params or 999) // len(columns))
        for i in range(0, len(rows), per_statement):
            chunk = rows[i : i + per_statement]
            cursor.execute(
                f"INSERT INTO {qn(table)} ({names}) VALUES " + ", ".join([mark] * len(chunk)),
                [v for row in chunk for v in row],
            )
