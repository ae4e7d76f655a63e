"""Settings for vprplan, driven by environment variables.

With nothing set the project runs on its embedded defaults: an SQLite file, jobs in-process,
mail to the console. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
REDIS_URL (see README).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from vprplan.bucket import enabled as bucket_enabled
from vprplan.bucket import storage_entry
from vprplan.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """The variable's value; an empty one counts as unset."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# The embedded defaults are for a first local run; production sets DEBUG=false (README).
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Задайте SECRET_KEY (или DEBUG=true для локального запуска).")
    from vprplan.secret_key import local_secret_key

    SECRET_KEY = local_secret_key(Path(env("SECRET_KEY_FILE") or BASE_DIR / ".local-secret-key"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address for absolute links (mail, iCal, the signed order's QR code). Unset in DEBUG:
# links made during a request use the address it came to (vprplan.site); with DEBUG off a system
# check refuses to start without a public one (vprplan.checks).
SITE_URL_SET = bool(env("SITE_URL"))
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A signed order seals SITE_URL into its QR code for good: with DEBUG off, signing refuses a
# missing or loopback SITE_URL (reports.orders.render.site_url_problem).
ORDER_SIGNING_REQUIRE_SITE_URL = env_bool("ORDER_SIGNING_REQUIRE_SITE_URL", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "axes",
    "csp",
    "vprplan",
    "schools",
    "activities",
    "observers",
    "reports",
    "results",
    "portal",  # composition: the root URLconf, the home page, the demo
    "bench",  # development tools: `manage.py bench`, `generate_scale_data` (no models, no URLs)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vprplan.security.SessionIdleTimeoutMiddleware",
    "vprplan.security.AuditActorMiddleware",
    "vprplan.ratelimits.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "vprplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://… or sqlite:///…); an SQLite file when unset.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    # psycopg 3's pool: connections are reused across requests without CONN_MAX_AGE. Health checks
    # make the pool test a connection before handing it out (ConnectionPool.check_connection), so
    # that after PostgreSQL restarts no request gets a dead one; `timeout` is how long a request
    # waits for a connection before it fails with the error page (while the database is down).
    # The pool retries a lost connection with a doubling delay (1, 2, 4, 8 s…): giving up after
    # `reconnect_timeout` lets the next request start afresh, so that the app is back within
    # seconds of the database, not after a delay as long as the outage was.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(env("DATABASE_POOL_MAX", "10")),
        "timeout": float(env("DATABASE_POOL_TIMEOUT", "3")),
        "reconnect_timeout": float(env("DATABASE_POOL_RECONNECT_TIMEOUT", "4")),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A connection that cannot be made fails in seconds, not at the operating system's timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # Prepared statements: psycopg prepares a query the fifth time a connection sends it, and
    # PostgreSQL then reuses its plan. An execution's page joins eight tables: planning took 1.8 ms,
    # running 0.2 ms. They need server-side parameters. Behind PgBouncer in transaction mode older
    # than 1.21 (or without max_prepared_statements) turn them off: DATABASE_PREPARED=false.
    if env_bool("DATABASE_PREPARED", True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Directory login (vprplan.directory; README «Вход через каталог организации») ---------------
# LDAP / Active Directory when LDAP_SERVER_URI is set (django-auth-ldap: AUTH_LDAP_*), OpenID
# Connect when OIDC_RP_CLIENT_ID is set (mozilla-django-oidc: OIDC_*); both off by default. Axes
# stays the first backend (a locked-out username + address is refused before any password is
# checked), local passwords the second.
from vprplan.directory.config import backends as _directory_backends  # noqa: E402
from vprplan.directory.config import ldap_settings as _ldap_settings  # noqa: E402
from vprplan.directory.config import oidc_settings as _oidc_settings  # noqa: E402

_directory = {**_ldap_settings(os.environ), **_oidc_settings(os.environ)}
globals().update(_directory)
LDAP_ENABLED = _directory["LDAP_ENABLED"]
OIDC_ENABLED = _directory["OIDC_ENABLED"]
AUTHENTICATION_BACKENDS = _directory_backends(ldap_enabled=LDAP_ENABLED, oidc_enabled=OIDC_ENABLED)
# --- end of directory login ----------------------------------------------------------------------
# Argon2id first (vprplan.hashers: tuned to ≈ 25 ms of CPU per check here); PBKDF2 after it, so the
# hashes made before verify and are re-made with Argon2 on the user's next login.
PASSWORD_HASHERS = [
    "vprplan.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Russian UI. Times are stored in UTC; each region shows its own time zone (Region.timezone).
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["vprplan.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Evidence, act scans, signed orders and exports: private, read only through the download views
    # (MEDIA is never served as static). In an S3-compatible bucket when STORAGE_S3_BUCKET is set
    # (vprplan.bucket: private objects, never overwritten), else under MEDIA_ROOT.
    "default": storage_entry(os.environ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In DEBUG whitenoise serves straight from the app folders; production runs collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGE_S3 = bucket_enabled(os.environ)
# With S3: downloads redirect to a short-lived signed URL of the bucket (the same attachment
# disposition and type, set by the URL) instead of passing through the app. Off by default: the
# browsers must then reach the endpoint, and our nosniff/sandbox headers are the bucket's to send.
STORAGE_S3_PRESIGNED_DOWNLOADS = STORAGE_S3 and env_bool("STORAGE_S3_PRESIGNED_DOWNLOADS", False)

# Evidence (подтверждающие документы): checked by content, not by name, and served only through
# the download view (activities.views.tasks.EvidenceDownloadView), never from MEDIA_URL.
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_MB", "20")) * 1024 * 1024
EVIDENCE_MAX_FILES = int(env("EVIDENCE_MAX_FILES", "10"))
EVIDENCE_ALLOWED_TYPES = env_list("EVIDENCE_ALLOWED_TYPES", "pdf,docx,xlsx,jpg,png")

# Plan import (.docx, .xlsx, .csv): larger files are refused before they are read.
PLAN_IMPORT_MAX_BYTES = int(env("PLAN_IMPORT_MAX_MB", "10")) * 1024 * 1024
# Other uploads, all checked by content in vprplan.uploads: observers' act scans, the VPR schedule
# .xlsx, files brought to /verify/. The web server caps the request body too (README: nginx).
ACT_SCAN_MAX_BYTES = int(env("ACT_SCAN_MAX_MB", "15")) * 1024 * 1024
SCHEDULE_IMPORT_MAX_BYTES = int(env("SCHEDULE_IMPORT_MAX_MB", "5")) * 1024 * 1024
VERIFY_MAX_BYTES = int(env("VERIFY_MAX_MB", "30")) * 1024 * 1024

# Mail: console unless EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "vprplan <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Jobs: Celery on Redis when REDIS_URL (or CELERY_BROKER_URL) is set, otherwise in a background
# thread of the server process (vprplan.jobs.InProcessWorker). Tests run them eagerly, at commit.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that enqueues must not hang when the broker is down (TECH-NOTES): fail fast, keep the job.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# A worker holds the job it runs for this long (vprplan.jobs.claim); after that, if the job is not
# done, its worker is taken for dead and dispatch_pending_jobs sends it again. Longer than the
# longest job (signing a 150-row order: ~6 s; a reminder sweep of a region: seconds).
JOB_LEASE_SECONDS = int(env("JOB_LEASE_SECONDS", "600"))
# --- Operations: Celery queues, worker heartbeats, the beat singleton (issue 20) ----------------
# PDF jobs (orders rendered and signed, PDF exports) go to their own queue, everything else to the
# default one (vprplan/queues.py). Both are declared, so a worker started without -Q consumes both;
# README's worker command names them: `celery -A vprplan worker -Q celery,pdf`.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "reports.render_order_document": {"queue": "pdf"},
    "reports.render_export": {"queue": "pdf"},
}
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "pdf")]
# Worker heartbeats (vprplan/heartbeat.py): each worker refreshes its entry in Redis this often; /health/
# and /metrics count the workers whose heartbeat has not expired.
WORKER_HEARTBEAT_SECONDS = int(env("WORKER_HEARTBEAT_SECONDS", "15"))
WORKER_HEARTBEAT_TTL = int(env("WORKER_HEARTBEAT_TTL", "60"))
# Beat as a singleton (vprplan/beat.py): run one on each of two machines; the one holding a lock in
# Redis sends, the other takes over BEAT_LOCK_TTL seconds after the holder died (at once when it
# stopped cleanly). The entries' last runs are kept in Redis too: no local schedule file.
CELERY_BEAT_SCHEDULER = "vprplan.beat:SingletonScheduler"
BEAT_LOCK_TTL = float(env("BEAT_LOCK_TTL", "60"))
# --- end of Celery queues, heartbeats and beat ----------------------------------------------------

CELERY_BEAT_SCHEDULE = {
    "dispatch-pending-jobs": {"task": "vprplan.dispatch_pending_jobs", "schedule": 60.0},
    # Every hour on the hour (all Russian zones are whole hours from Moscow): each region is swept
    # once a day, from REMINDER_LOCAL_HOUR of its own time (activities.reminders).
    "send-due-reminders": {"task": "activities.send_due_reminders", "schedule": crontab(minute=0)},
    # Exports (vprplan.documents.exports) older than a day are deleted with their files.
    "cleanup-exports": {"task": "reports.cleanup_exports", "schedule": crontab(minute=30)},
}

# Deadline reminders (activities.reminders): a daily digest per person from 08:00 of his region's
# time; a region the beat missed at that hour is swept at a later hour until REMINDER_LAST_HOUR.
REMINDER_LOCAL_HOUR = int(env("REMINDER_LOCAL_HOUR", "8"))
REMINDER_LAST_HOUR = int(env("REMINDER_LAST_HOUR", "20"))
# Overdue work is in the personal digest every day for this many days after its due date (the
# coordinator's escalation lists the same window; older lateness is on the progress pages).
REMINDER_OVERDUE_DAYS = int(env("REMINDER_OVERDUE_DAYS", "30"))
# A reminder claimed but not sent (its run died) is taken over after this long, this many times.
REMINDER_RETRY_AFTER_MINUTES = int(env("REMINDER_RETRY_AFTER_MINUTES", "15"))
REMINDER_MAX_ATTEMPTS = 5
REMINDER_KEEP_DAYS = 120

# --- Operations: the shared cache and sessions (issue 20) ----------------------------------------
# With REDIS_URL every web and worker process shares one cache: sessions (cached_db: read from the
# cache, written to both, so a login holds on every node), rate-limit counts and the bell's counts.
# FailSafeRedisCache answers a miss when Redis fails (vprplan/cache.py): no page breaks, sessions
# come from the database, rate limits let requests through (RATELIMIT_FAIL_OPEN) until it is back.
# Without REDIS_URL: local memory per process and database sessions (the embedded defaults).
REDIS_CACHE_URL = env("REDIS_CACHE_URL", REDIS_URL)
REDIS_CACHE_TIMEOUT = float(env("REDIS_CACHE_TIMEOUT", "0.5"))  # seconds a cache call may wait
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "vprplan.cache.FailSafeRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "vprplan",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CACHE_TIMEOUT,
                "socket_timeout": REDIS_CACHE_TIMEOUT,
            },
        }
    }
# Local memory is per process: a logout in one gunicorn worker would not reach another's copy, so
# without Redis the sessions stay in the database alone.
SESSION_ENGINE = "vprplan.sessions." + ("cached_db" if REDIS_CACHE_URL else "db")
SESSION_CACHE_ALIAS = "default"
RATELIMIT_FAIL_OPEN = True  # a cache outage must not answer 429 to everyone (README: Several servers)
# How long the bell's unread count is kept (activities.reminders.bell); every write forgets it.
BELL_CACHE_SECONDS = int(env("BELL_CACHE_SECONDS", "120"))
# How long a session's user and his memberships are kept in the shared cache (vprplan.userstore);
# every change of the account, a membership or an organisation forgets him. Off without Redis.
USER_CACHE_SECONDS = int(env("USER_CACHE_SECONDS", "120" if REDIS_CACHE_URL else "0"))
# --- end of the shared cache and sessions ----------------------------------------------------------
# Rate limits (vprplan.ratelimits): counted in the default cache; RATELIMIT_ENABLE=false turns them off.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_USE_CACHE = "default"
# Behind a reverse proxy the client's address is in a header, e.g. RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY") or None
# Sessions end 8 hours after login (absolute) or after SESSION_IDLE_MINUTES without a request
# (vprplan.security.SessionIdleTimeoutMiddleware, which writes the session at most once a minute).
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_IDLE_SECONDS = int(env("SESSION_IDLE_MINUTES", "60")) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The pages send the CSRF token in forms and in HTMX's headers (base.html); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Security: on by default outside DEBUG (python manage.py check --deploy --fail-level WARNING).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The number of reverse proxies (nginx: 1) whose X-Forwarded-For is trusted for the client's
# address (login throttling, the audit log); 0 = the address of the connection itself.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# Content-Security-Policy (django-csp), on in DEBUG too: the pages load only their own static
# scripts and stylesheets, no inline <script>, on*= handler or style="" (tests/vprplan/test_security.py).
# Print templates rendered by WeasyPrint keep their <style>: they are never served to a browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # CryptoPro's cadesplugin_api.js loads the ЭЦП Browser plug-in's script from the browser
        # extension: its origin is allowed here when set (CADESPLUGIN_SCRIPT_SOURCES, comma-separated,
        # e.g. chrome-extension://iifchhfnnmpdbibifmljnfjhpififfog).
        "script-src": ["'self'", *env_list("CADESPLUGIN_SCRIPT_SOURCES")],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): a username + address pair is locked after AXES_FAILURE_LIMIT
# failed logins for AXES_COOLOFF_MINUTES; the login page says so in Russian (vprplan.security).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vprplan.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "vprplan.security.client_ip"
# Logins are in our own audit log (AuditEvent); axes keeps only the failed attempts it counts.
AXES_DISABLE_ACCESS_LOG = True

# --- Operations: logs, request ids, health and metrics (issue 20) ---------------------------------
# One JSON object per line (LOG_FORMAT=json, the default with DEBUG off) or plain console lines
# (LOG_FORMAT=plain, the default in DEBUG); every line of a request, and of the job it asked for,
# carries the request id (vprplan/logs.py). Celery workers and beat log through the same handlers.
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json").lower()
LOGGING = logging_config(fmt=LOG_FORMAT, level=env("LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The request id first (every later answer carries it), django-prometheus's request metrics around
# the rest (the «after» one just inside axes, which must stay last).
MIDDLEWARE = ["vprplan.logs.RequestIdMiddleware", "django_prometheus.middleware.PrometheusBeforeMiddleware",
              *MIDDLEWARE]  # fmt: skip
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware") if "axes.middleware.AxesMiddleware" in MIDDLEWARE
    else len(MIDDLEWARE),
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)  # fmt: skip
# /health/ (vprplan/health.py) and /metrics (vprplan/metrics.py) answer over plain HTTP too: load
# balancers and Prometheus reach each node directly.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
HEALTH_DISK_MIN_FREE_MB = int(env("HEALTH_DISK_MIN_FREE_MB", "1024"))
HEALTH_WORKER_REQUIRED = env_bool("HEALTH_WORKER_REQUIRED", True)
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = env("METRICS_TOKEN")
PROMETHEUS_EXPORT_MIGRATIONS = False
# --- end of logs, health and metrics -----------------------------------------------------------------

# Signed orders (reports.signing): the signature provider and the authorities' certificates. Each
# authority signs with SIGNING_PKCS12_DIR/<municipality code>.p12 when present, else with
# SIGNING_PKCS12_PATH; `seed_demo` writes self-signed demo certificates into the directory.
# The keys stay on the local disk of each server, never in MEDIA_ROOT or the bucket (./keys is
# git-ignored). Not SIGNING_BACKEND: that name is Django's own (it signs cookies and messages).
ORDER_SIGNING_BACKEND = env("ORDER_SIGNING_BACKEND", "reports.signing.pades.PadesSigner")
SIGNING_PKCS12_DIR = Path(env("SIGNING_PKCS12_DIR", str(BASE_DIR / "keys")))
SIGNING_PKCS12_PATH = env("SIGNING_PKCS12_PATH")
SIGNING_PKCS12_PASSWORD = env("SIGNING_PKCS12_PASSWORD")
# The heads' qualified signatures (CAdES-BES, ГОСТ Р 34.10-2012) are trusted when their path ends at
# a root certificate in this directory (.cer/.crt/.pem/.der; the Минцифры / ФНС roots and the
# accredited УЦ's intermediates, loaded by the administrator; nothing is fetched from the network).
SIGNING_TRUSTED_ROOTS_DIR = env("SIGNING_TRUSTED_ROOTS_DIR", str(BASE_DIR / "trusted-roots"))
SIGNATURE_MAX_BYTES = int(env("SIGNATURE_MAX_KB", "1024")) * 1024  # a .sig, uploaded or from the plug-in
SIGNATURE_MAX_CERTIFICATES = int(env("SIGNATURE_MAX_CERTIFICATES", "10"))
# CryptoPro's cadesplugin_api.js (distributed by CryptoPro with the ЭЦП Browser plug-in, not in this
# repository): its address on this site, e.g. /static/vendor/cryptopro/cadesplugin_api.js after
# putting it under static/ and collectstatic. Empty: the order page says the plug-in is not set up.
CADESPLUGIN_API_URL = env("CADESPLUGIN_API_URL")

# VPR results and markers (results/): every marker is a sign to look into, never a verdict. Shares
# are percentages of participants; "points" are percentage points (п. п.).
RESULTS_IMPORT_MAX_BYTES = int(env("RESULTS_IMPORT_MAX_MB", "10")) * 1024 * 1024
# The least participants for a marker on shares of marks (above the region, journal, «2» year over
# year, cohort) and for one on the primary score distribution (boundary peaks).
RESULTS_MIN_PARTICIPANTS = int(env("RESULTS_MIN_PARTICIPANTS", "20"))
RESULTS_MIN_PARTICIPANTS_SCORES = int(env("RESULTS_MIN_PARTICIPANTS_SCORES", "50"))
# «4»+«5» more than this many points above the region's share.
RESULTS_ABOVE_REGION_POINTS = float(env("RESULTS_ABOVE_REGION_POINTS", "20"))
# Against the journal: «понизили» below this share and «повысили» above that one.
RESULTS_JOURNAL_LOWERED_MAX = float(env("RESULTS_JOURNAL_LOWERED_MAX", "5"))
RESULTS_JOURNAL_RAISED_MIN = float(env("RESULTS_JOURNAL_RAISED_MIN", "15"))
# A boundary score held by at least RATIO times as many as the score just below, a surplus that
# chance (against the region's distribution at these two scores) gives less often than CHANCE.
RESULTS_PEAK_RATIO = float(env("RESULTS_PEAK_RATIO", "2"))
RESULTS_PEAK_CHANCE = float(env("RESULTS_PEAK_CHANCE", "0.01"))
# The share of «2» up (or down) by this many points since last year; the same cohort's «4»+«5»
# (grade N now, N-1 last year, same subject) down by this many.
RESULTS_TWOS_RISE_POINTS = float(env("RESULTS_TWOS_RISE_POINTS", "10"))
RESULTS_TWOS_FALL_POINTS = float(env("RESULTS_TWOS_FALL_POINTS", "10"))
RESULTS_COHORT_DROP_POINTS = float(env("RESULTS_COHORT_DROP_POINTS", "25"))
# The works of a year's VPR are kept until this day («MM-DD» of the VPR year, «+1-MM-DD» of the
# next): a recheck must end by then.
VPR_WORKS_KEPT_UNTIL = env("VPR_WORKS_KEPT_UNTIL", "12-31")
