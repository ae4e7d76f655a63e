"""The fixtures of the apps' tests the upload and download points need: an approved plan with work
for S1, VPR-2024 with M1's observers, a signing certificate and a submitted plan for orders."""

from tests.activities.conftest import approved  # noqa: F401
from tests.observers.conftest import vpr  # noqa: F401
from tests.reports.orders.conftest import authority, demo_pkcs12, signing, submitted_plan  # noqa: F401
