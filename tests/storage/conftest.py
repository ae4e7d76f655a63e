"""Fixtures the storage tests borrow from the suites whose files they move into the bucket."""

from tests.activities.conftest import approved, pdf_file  # noqa: F401  (fixtures)
from tests.observers.conftest import vpr  # noqa: F401  (fixture)
from tests.reports.orders.conftest import authority, demo_pkcs12, signing, submitted_plan  # noqa: F401
