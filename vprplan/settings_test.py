"""Test overrides: fast hashing, mail in memory, in-process jobs unless a test asks for Celery."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "true")

from vprplan.settings import *  # noqa: F403
from vprplan.settings import DATABASES, env_bool

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The S3 tests turn the bucket on themselves (tests/s3server.py: the s3_storage fixture).
STORAGE_S3 = STORAGE_S3_PRESIGNED_DOWNLOADS = False
SECURE_SSL_REDIRECT = False
# Login throttling needs the request; `client.login()` has none. The axes tests turn it on.
AXES_ENABLED = False
# Suites post hundreds of files: the rate-limit tests (tests/vprplan/test_ratelimits.py) turn limits on.
RATELIMIT_ENABLE = False
# --- Operations (issue 20) ---
# Each run its own cache, even with REDIS_URL set: no counts or fragments survive from another run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The pages' exact query budgets count the session and the bell's COUNT: the suite keeps database
# sessions and an uncached bell; tests/vprplan/test_shared_cache.py turns both on (and the
# two-node and health tests run the production settings on Redis).
SESSION_ENGINE = "vprplan.sessions.db"
BELL_CACHE_SECONDS = 0
USER_CACHE_SECONDS = 0  # tests/vprplan/test_userstore.py turns it on
# --- end of operations ---
# Tests call jobs in-process; the Celery tests start a real worker on REDIS_URL themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The test database is created and dropped per run; a pool would keep connections to it open.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
TEST_REQUIRE_SERVICES = env_bool("CI", False)

# Demo and test certificates go to a scratch folder, not into ./media/signing.
SIGNING_PKCS12_DIR = Path(tempfile.mkdtemp(prefix="vprplan-test-signing-"))
# pytest-django runs tests with DEBUG off, and the commands the tests call run the system checks:
# a test run has no public address (tests/vprplan/test_site_url.py tests the check itself).
SILENCED_SYSTEM_CHECKS = ["vprplan.E001", "vprplan.E003"]
