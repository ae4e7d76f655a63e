"""Reads made on every request, as statements written once (issue 21).

The ORM builds a query's SQL anew on every call. For a few reads that every request or every edit
makes, building costs more than running: in the editor's save (py-spy), the ORM spent two to four
times as long building each of them as the database took to run it (the session 2.5×, the user with
his memberships 4–5×, the activity with its section, plan and owner, 73 columns, 3×).
`Read` writes such a statement once per process and database, its SELECT list made from the
models' fields, and turns each row into the instances the ORM would give: the values pass the
converters the ORM applies (the backend's and the fields' own), then `Model.from_db`.

A `Read` is for a query whose shape never changes; anything else stays with the ORM.
"""

from django.db import connections


class Table:
    """A model's concrete fields under a table alias: its part of the SELECT list, and its slice
    of a row back into an instance."""

    def __init__(self, model, alias: str):
        self.model = model
        self.alias = alias
        self.fields = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        self._converters: dict[str, list] = {}  # by database alias

    def columns(self, connection) -> list[str]:
        quote = connection.ops.quote_name
        return [f"{self.alias}.{quote(field.column)}" for field in self.fields]

    def source(self, connection) -> str:
        """`"app_model" alias`, for the FROM clause."""
        return f"{connection.ops.quote_name(self.model._meta.db_table)} {self.alias}"

    def converters(self, connection) -> list:
        """(position, functions, column) for each field whose database value the ORM converts.
        Kept per database alias: the backend's functions are bound to the first connection of the
        alias (another thread's); each is called with the connection in hand, as the ORM calls it."""
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for position, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if functions:
                    found.append((position, functions, column))
            self._converters[connection.alias] = found
        return found

    def load(self, connection, values):
        values = list(values)
        for position, functions, column in self.converters(connection):
            value = values[position]
            for function in functions:
                value = function(value, column, connection)
            values[position] = value
        return self.model.from_db(connection.alias, self.names, values)


class Read:
    """SELECT every field of `tables` + `rest` (the FROM clause on: `{alias}` stands for a table
    with its alias, `%s` for a parameter). `rows()` gives, per row, one instance of each table's
    model, in the order of `tables`; relating them is the caller's (assign them, as the ORM's
    select_related does)."""

    def __init__(self, *tables: Table, rest: str):
        self.tables = tables
        self.rest = rest
        self._sql: dict[str, str] = {}  # by database alias

    def sql(self, connection) -> str:
        sql = self._sql.get(connection.alias)
        if sql is None:
            columns = ", ".join(column for table in self.tables for column in table.columns(connection))
            sources = {table.alias: table.source(connection) for table in self.tables}
            sql = self._sql[connection.alias] = f"SELECT {columns} {self.rest.format(**sources)}"
        return sql

    def rows(self, params, *, using: str = "default") -> list[list]:
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql(connection), params)
            fetched = cursor.fetchall()
        return [self._split(connection, row) for row in fetched]

    def first(self, params, *, using: str = "default") -> list | None:
        rows = self.rows(params, using=using)
        return rows[0] if rows else None

    def _split(self, connection, row) -> list:
        objects, start = [], 0
        for table in self.tables:
            end = start + len(table.fields)
            objects.append(table.load(connection, row[start:end]))
            start = end
        return objects
