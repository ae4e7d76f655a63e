"""A schedule of VPR sessions as .xlsx: what the schedule page downloads and the template its
import (schools.schedule_import) reads back."""

import tablib

from schools.resources import VprSessionResource
from vprplan.text import sheet_value


def sessions_xlsx(sessions) -> bytes:
    """Sessions in the import's columns: the template a school fills and imports back."""
    dataset = VprSessionResource().export(queryset=sessions)
    rows = [[sheet_value(value) for value in row] for row in dataset]
    return tablib.Dataset(*rows, headers=dataset.headers).export("xlsx")
