"""Settings for the recruiter app. Every difference between deployments comes from the environment.

Read the README's configuration table for every variable. ``.env`` beside ``manage.py`` is read
when present (never commit one; ``.env.example`` lists the variables).

With ``DJANGO_DEBUG`` off (the default) the production hardening is on and the variables a
production deploy cannot do without are required: a missing one stops the start with a message
naming it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def required(name: str, hint: str) -> str:
    """A production setting that must be set; stops the start naming the variable if not."""
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}: {hint} (required when DJANGO_DEBUG is off).")
    return value


# --- Core ---------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789-abcdefghijklmnop")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = required("DJANGO_SECRET_KEY", "a long random string, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set the environment variable DJANGO_ALLOWED_HOSTS: the host names this site answers to, comma separated (required when DJANGO_DEBUG is off).")

SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "template_partials",
    "csp",
    "axes",
    "mojito",
    "recruiting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recruiting.urls"
WSGI_APPLICATION = "recruiting.wsgi.application"
ASGI_APPLICATION = "recruiting.asgi.application"

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
                "csp.context_processors.nonce",
                "recruiting.context_processors.navigation",
            ],
        },
    },
]

# --- Database: SQLite under var/ by default, PostgreSQL through DATABASE_URL ---------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20,
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # Persistent too: opening a SQLite connection runs the PRAGMAs and registers Django's SQL
    # functions, about a millisecond a request (a local file needs no health check).
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The JobMojito call log writes through a connection of its own, so a row outlives the caller's
# rollback (mojito/calllog_db.py): the same PostgreSQL database over a second connection, or for
# SQLite (one writer per file) a file of its own beside the main one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _main = Path(str(DATABASES["default"]["NAME"]))
    DATABASES["calllog"] = {**DATABASES["default"], "NAME": str(_main.with_name(f"{_main.stem}-calllog{_main.suffix}")),
                            "OPTIONS": {**DATABASES["default"]["OPTIONS"]}, "TEST": {}}
else:
    DATABASES["calllog"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
MOJITO_CALLLOG_DATABASE = "calllog"
DATABASE_ROUTERS = ["mojito.calllog_db.CallLogRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out; must come first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is locked for LOGIN_LOCKOUT_MINUTES (admin login included), answered 429.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies, the client address is the Nth from the right in X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
# Translations of the candidate pages (an employer adds theirs here: makemessages -l <code>).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# Dashboard lists: rows per page.
DASHBOARD_PAGE_SIZE = env.int("DASHBOARD_PAGE_SIZE", default=50)

# --- Static files (whitenoise, compressed manifest) ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Request limits -------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
RESUME_MAX_BYTES = env.int("RESUME_MAX_BYTES", default=10 * 1024 * 1024)
KNOWLEDGE_DOCUMENT_MAX_BYTES = env.int("KNOWLEDGE_DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)

# --- JobMojito ------------------------------------------------------------------------------------
MOJITO_PRODUCTION_BASE_URL = "https://cool.jobmojito.com/functions/v1"
MOJITO_SANDBOX_PORT = env.int("MOJITO_SANDBOX_PORT", default=8765)
MOJITO_API_BASE_URL = env.str(
    "MOJITO_API_BASE_URL",
    default=f"http://127.0.0.1:{MOJITO_SANDBOX_PORT}/functions/v1" if DEBUG else MOJITO_PRODUCTION_BASE_URL,
).rstrip("/")
if DEBUG:
    MOJITO_API_TOKEN = env.str("MOJITO_API_TOKEN", default="sandbox-token")
else:
    MOJITO_API_TOKEN = required("MOJITO_API_TOKEN", "the JobMojito API bearer token of your merchant account")
MOJITO_CONNECT_TIMEOUT = env.float("MOJITO_CONNECT_TIMEOUT", default=5.0)
MOJITO_READ_TIMEOUT = env.float("MOJITO_READ_TIMEOUT", default=15.0)
MOJITO_AI_READ_TIMEOUT = env.float("MOJITO_AI_READ_TIMEOUT", default=60.0)
MOJITO_MAX_ATTEMPTS = env.int("MOJITO_MAX_ATTEMPTS", default=3)
MOJITO_RETRY_DEADLINE = env.float("MOJITO_RETRY_DEADLINE", default=45.0)
MOJITO_BULK_CHUNK_SIZE = env.int("MOJITO_BULK_CHUNK_SIZE", default=50)
MOJITO_BULK_CONCURRENCY = env.int("MOJITO_BULK_CONCURRENCY", default=5)
# Worker processes a large bulk invite is spread over (the requests in flight stay MOJITO_BULK_CONCURRENCY).
# Each process writes its outcomes from one thread; on SQLite those writers would take turns on the
# one write lock, so one process sends the whole job there.
MOJITO_BULK_PROCESSES = env.int(
    "MOJITO_BULK_PROCESSES", default=1 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 2)
# A bulk row left "sending" this long (its worker died) is sent again; register-users upserts by email.
MOJITO_BULK_LEASE_SECONDS = env.int("MOJITO_BULK_LEASE_SECONDS", default=300)
BULK_INVITE_MAX_ROWS = env.int("BULK_INVITE_MAX_ROWS", default=10_000)
# After a create whose answer was lost, look for the object created within this window before resending.
MOJITO_RECONCILE_WINDOW_SECONDS = env.int("MOJITO_RECONCILE_WINDOW_SECONDS", default=300)
# job-interview-details calls in flight while the periodic reconcile walks merchant-result-list.
MOJITO_RECONCILE_CONCURRENCY = env.int("MOJITO_RECONCILE_CONCURRENCY", default=4)
# Hosts report PDFs may be downloaded from besides the API host (".example.com" = any subdomain).
MOJITO_REPORT_HOSTS = env.list("MOJITO_REPORT_HOSTS", default=["momsbvnltsydezmoesqt.supabase.co"])
REPORT_MAX_BYTES = env.int("REPORT_MAX_BYTES", default=50 * 1024 * 1024)

MOJITO_WEBHOOK_HEADER = env.str("MOJITO_WEBHOOK_HEADER", default="X-Mojito-Webhook-Secret")
if DEBUG:
    MOJITO_WEBHOOK_SECRETS = env.list("MOJITO_WEBHOOK_SECRETS", default=["sandbox-webhook-secret"])
else:
    MOJITO_WEBHOOK_SECRETS = [s.strip() for s in required("MOJITO_WEBHOOK_SECRETS", "the secret value(s) JobMojito sends in MOJITO_WEBHOOK_HEADER, comma separated for rotation").split(",") if s.strip()]
MOJITO_WEBHOOK_MAX_BYTES = env.int("MOJITO_WEBHOOK_MAX_BYTES", default=256 * 1024)
# Each web process asks the workers to queue the stored deliveries at most this often (and once
# after the last): no broker round trip in the acknowledgement. 0: one task queued per delivery.
WEBHOOK_QUEUE_WINDOW_SECONDS = env.float("WEBHOOK_QUEUE_WINDOW_SECONDS", default=0.1)

# Fernet keys (comma list, newest first) that encrypt embed signing keys at rest. Unset: one key
# derived from DJANGO_SECRET_KEY. To rotate: put the new key first, keep the old one second,
# run `manage.py rotate_secrets`, then drop the old key.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

# /healthz shows its per-check details only to staff, or to monitoring that sends this value in the
# X-Healthz-Token header; anonymous requests get the status alone. Empty = no token access.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# Origins allowed to frame the public candidate pages (e.g. https://careers.example.com); in
# development the demo careers site that `make run` serves on DEMO_CAREERS_PORT.
DEMO_CAREERS_PORT = env.int("DEMO_CAREERS_PORT", default=8001)
EMBED_ALLOWED_ORIGINS = [o.rstrip("/") for o in env.list(
    "EMBED_ALLOWED_ORIGINS",
    default=[f"http://127.0.0.1:{DEMO_CAREERS_PORT}", f"http://localhost:{DEMO_CAREERS_PORT}"] if DEBUG else [])]
# Hosts of JobMojito's interview portal that our candidate pages may frame.
MOJITO_INTERVIEW_ORIGINS = env.list(
    "MOJITO_INTERVIEW_ORIGINS",
    default=["https://try.interviewmojito.com", "https://*.interviewmojito.com"]
    + ([f"http://127.0.0.1:{MOJITO_SANDBOX_PORT}", f"http://localhost:{MOJITO_SANDBOX_PORT}"] if DEBUG else []),
)

# --- Candidate pages (/jobs/) ---------------------------------------------------------------------
# The interview portal that serves JobMojito's signed embed (API reference 4.3): the sandbox in development.
MOJITO_EMBED_BASE_URL = env.str(
    "MOJITO_EMBED_BASE_URL",
    default=f"http://127.0.0.1:{MOJITO_SANDBOX_PORT}" if DEBUG else "https://try.interviewmojito.com",
).rstrip("/")
# Résumés (their extracted text) are deleted this many days after the application.
RESUME_RETENTION_DAYS = env.int("RESUME_RETENTION_DAYS", default=30)
# Apply-form rate limits (django-ratelimit syntax "count/period"), per client address and per email.
CAREERS_APPLY_RATE_IP = env.str("CAREERS_APPLY_RATE_IP", default="10/h")
CAREERS_APPLY_RATE_EMAIL = env.str("CAREERS_APPLY_RATE_EMAIL", default="5/h")
# How long an apply form (its signed form token) stays valid.
CAREERS_FORM_MAX_AGE = env.int("CAREERS_FORM_MAX_AGE", default=4 * 3600)
RATELIMIT_VIEW = "recruiting.views.careers.rate_limited"
# The client address the per-address limit counts: behind DJANGO_TRUSTED_PROXY_COUNT proxies, the
# Nth address from the right of X-Forwarded-For (as for login throttling), else REMOTE_ADDR.
RATELIMIT_IP_META_KEY = "recruiting.client_address.client_address"
# Email to candidates (their next step after JobMojito was down): the console in development.
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend" if DEBUG
                        else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_URL = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_HOST, EMAIL_PORT = EMAIL_URL["EMAIL_HOST"], EMAIL_URL["EMAIL_PORT"]
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = EMAIL_URL["EMAIL_HOST_USER"], EMAIL_URL["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = EMAIL_URL.get("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="jobs@localhost")

# --- Cache: rate limits and short-lived copies (the account card). Several web processes must share
# one (CACHE_URL=redis://host:6379/1, django-environ syntax); unset = memory of each process.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Celery (broker: Redis when REDIS_URL is set, else an embedded filesystem broker under var/) ---
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery-broker")))
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# Seconds before Redis redelivers a message a dead worker had taken (acks_late). Keep it above the
# longest task time limit and any countdown.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
    if REDIS_URL
    else {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        # How often a worker looks for new messages in the broker folder (kombu's default is 1 s).
        "polling_interval": env.float("CELERY_BROKER_POLLING_INTERVAL", default=0.05),
    }
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=2)
RESULT_SYNC_INTERVAL_SECONDS = env.int("RESULT_SYNC_INTERVAL_SECONDS", default=300)

# --- Security hardening (on whenever DEBUG is off) ------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "frame-src": MOJITO_INTERVIEW_ORIGINS,
    },
}

# --- Logging: plain lines to stderr; secrets are never passed to a logger -------------------------
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # httpx logs full URLs at INFO: keep it at WARNING so no query string reaches a log.
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
if not REDIS_URL:
    # The embedded broker's URL has no host by design; kombu would warn about it on every publish.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
