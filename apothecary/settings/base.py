"""Settings for Apothecary, read from the environment with safe local defaults.

Every setting an operator may change is an environment variable:

    DEBUG              "true" for local development (default here: true)
    SECRET_KEY         required whenever DEBUG is off
    ALLOWED_HOSTS      comma-separated host names
    DATABASE_URL       e.g. postgres://user@host:5432/apothecary (default: SQLite in var/)
    REDIS_URL          e.g. redis://127.0.0.1:6379/1 for cache, sessions and rate limits
    TASKS_BACKEND      where background jobs wait for the worker: db (default), rq (Redis) or immediate
    S3_BUCKET, S3_PRIVATE_BUCKET, S3_ENDPOINT_URL, ...  files on S3-compatible storage (see below)
    PHARMACY_CURRENCY  ISO 4217 code for prices (default USD)
    PHARMACY_LOCALE    locale for formatting money and numbers (default en_US)
    SITE_URL           the public base URL (used in e-mails and the admin)
    EMAIL_URL-style settings are in EMAIL_* variables (see below)

The thin ``test`` and ``production`` modules adjust this file; nothing else does.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Caches, sessions, the page cache's views and watched apps, the front cache's purge (FRONT_CACHE_PURGE_URL).
from apothecary.settings.caching import *  # noqa: F403

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("APOTHECARY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)

# A real key is required as soon as DEBUG is off; production.py refuses to start
# without one. The fixed key below only ever serves a developer's own machine.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Apothecary's own apps, one per domain noun.
    "accounts",
    "evidence",
    "medicines",
    "catalogue",
    "articles",
    "discussion",
    "prescriptions",
    "orders",
    "seo",
    "home",
    "imports",
    "api",
    # Wagtail.
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",  # the database queue (TASKS_BACKEND=db); its table exists whichever backend is chosen
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",  # serves the API docs' own static files (no CDN)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "wagtail.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: it stores pages as every middleware below left them, and serves them as they would (apothecary/wsgi.py
    # answers the same pages before Django's handler).
    "apothecary.core.pagecache.PageCacheMiddleware",
    "apothecary.core.middleware.RequestSizeMiddleware",  # refuses an oversized body before anything reads it
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apothecary.core.csrf.SameOriginPostsMiddleware",  # same-origin posts to the front cache's forms, then Django's:
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "apothecary.core.middleware.PolicyExceptionsMiddleware",
    "apothecary.core.middleware.PrivatePagesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out log-in with accounts/locked_out.html.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "apothecary.urls"
WSGI_APPLICATION = "apothecary.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_navigation",
            ],
            # {% fragment %}: parts of public pages rendered once per content version (apothecary/core/fragments.py).
            "libraries": {"fragments": "apothecary.core.fragments"},
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file, one writer: wait for the lock instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Take the write lock at the start of a transaction, so two checkouts queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache, sessions and rate limits: local memory, or Redis when REDIS_URL is set (apothecary/settings/caching.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES, SESSION_ENGINE = caches_and_sessions(REDIS_URL, VAR_DIR)  # noqa: F405

# The page cache (apothecary/core/pagecache.py): anonymous visitors' pages, kept until what they show changes
# (apothecary/core/freshness.py) and for PAGE_CACHE_SECONDS at most. PAGE_CACHE=off renders every page afresh.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# Internationalisation; money is formatted with Babel in PHARMACY_LOCALE.
LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
PHARMACY_CURRENCY = os.environ.get("PHARMACY_CURRENCY", "USD")
PHARMACY_LOCALE = os.environ.get("PHARMACY_LOCALE", "en_US")

# Static and uploaded files.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
WHITENOISE_ROOT = PROJECT_DIR / "root_files"  # served at the site's root: /favicon.ico
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Prescriptions: never served by URL, only through a permission-checked view.
    "prescriptions": {
        "BACKEND": "prescriptions.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Files on S3-compatible storage (django-storages; AWS S3, MinIO, ...) in place of the local folders above, each
# store on its own: S3_BUCKET the public media (Wagtail's images and documents), S3_PRIVATE_BUCKET the prescription
# files (private objects: read by the app and streamed only through the permission-checked views, never linked).
# Several app servers need both. S3_ENDPOINT_URL for a service other than AWS; S3_CUSTOM_DOMAIN a domain (a CDN)
# serving the public bucket. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's own role).
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET", "").strip()
S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "").strip().rstrip("/")
S3_REGION = os.environ.get("S3_REGION", "").strip() or "us-east-1"
S3_CUSTOM_DOMAIN = os.environ.get("S3_CUSTOM_DOMAIN", "").strip().removeprefix("https://").strip("/")
MEDIA_ORIGIN = ""  # where the public media are served from when that is not this site (allowed in CSP's img-src)
if S3_BUCKET and S3_BUCKET == S3_PRIVATE_BUCKET:
    raise ImproperlyConfigured("S3_PRIVATE_BUCKET must not be S3_BUCKET: prescriptions never go in a public bucket.")
if S3_BUCKET or S3_PRIVATE_BUCKET:
    from urllib.parse import urlsplit

    S3_OPTIONS = {
        "region_name": S3_REGION,
        "endpoint_url": S3_ENDPOINT_URL or None,
        "addressing_style": "path" if S3_ENDPOINT_URL else "virtual",
        "signature_version": "s3v4",
        "file_overwrite": False,  # a second file of the same name gets a name of its own, as on disk
    }
if S3_BUCKET:
    if S3_CUSTOM_DOMAIN:
        media_protocol, media_domain = "https:", S3_CUSTOM_DOMAIN
    elif S3_ENDPOINT_URL:
        endpoint = urlsplit(S3_ENDPOINT_URL)
        media_protocol, media_domain = f"{endpoint.scheme}:", f"{endpoint.netloc}/{S3_BUCKET}"
    else:
        media_protocol, media_domain = "https:", f"{S3_BUCKET}.s3.{S3_REGION}.amazonaws.com"
    MEDIA_ORIGIN = f"{media_protocol}//{media_domain.split('/')[0]}"
    MEDIA_URL = f"{media_protocol}//{media_domain}/"
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Plain public URLs (the bucket, or S3_CUSTOM_DOMAIN in front of it, lets anyone read: a bucket policy).
        "OPTIONS": {
            **S3_OPTIONS,
            "bucket_name": S3_BUCKET,
            "querystring_auth": False,
            "custom_domain": media_domain,
            "url_protocol": media_protocol,
        },
    }
    WAGTAILDOCS_SERVE_METHOD = "serve_view"  # documents through Wagtail's view, as from disk (privacy checked)
if S3_PRIVATE_BUCKET:
    STORAGES["prescriptions"] = {
        "BACKEND": "prescriptions.s3.PrivateS3Storage",
        "OPTIONS": {**S3_OPTIONS, "bucket_name": S3_PRIVATE_BUCKET, "default_acl": "private"},
    }

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Apothecary <pharmacy@localhost>")

# Security headers that cost nothing locally.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "home.views.csrf_failure"
# Content-Security-Policy (django-csp): this site's own scripts, styles, images and fonts only; no inline script
# (apothecary.core.middleware.PolicyExceptionsMiddleware: but in Wagtail's admin). Inline style attributes are allowed:
# Wagtail's admin and its rich-text editor set them from script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],  # SameOriginFramesMiddleware lets the views that ask be framed by the site
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
if MEDIA_ORIGIN:  # images served from S3 (or its CDN): that origin only
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_ORIGIN)
# Wagtail's admin asks nothing of any other site: no avatars from gravatar.com, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Background jobs (django-tasks): e-mails and reference checks are queued, never run inside the request, and a
# worker runs them (`make worker`, i.e. `manage.py worker`). TASKS_BACKEND says where the queue is:
#   db         (default) a table in the database (django-tasks-db); `make run` starts a worker beside runserver
#   rq         Redis at REDIS_URL (django-tasks-rq), for several app servers and workers
#   immediate  inside the request that queues them, no worker (the tests)
TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip().lower() or "db"
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq queues background jobs in Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/1), "
            "or choose TASKS_BACKEND=db."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # A job may run this long (seconds); a failed one stays in RQ's failed-job registry (manage.py failed_tasks).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# Wagtail.
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Apothecary")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# A page changed after a reviewer asked for changes goes through the whole workflow again, Evidence check first.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# When a workflow is approved: record a pharmacist's approval of a guide (its review stamp), then publish.
WAGTAIL_FINISH_WORKFLOW_ACTION = "medicines.workflows.finish_review"
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "csv"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAIL_I18N_ENABLED = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True

# Behind a reverse proxy or load balancer: how many proxies append to X-Forwarded-For.
# 0 (the default) trusts only REMOTE_ADDR; per-address rate limits need the real client address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Medicine guides: the next review falls due this many days after a pharmacist's approval.
GUIDE_REVIEW_INTERVAL_DAYS = int(os.environ.get("GUIDE_REVIEW_INTERVAL_DAYS", "365"))

# Ordering and prescriptions.
# When a customer deletes their account, their orders, prescriptions and the pharmacists' decisions are kept this
# many years as pharmacy records (set it to what the pharmacy's regulator requires).
PHARMACY_RECORD_RETENTION_YEARS = int(os.environ.get("PHARMACY_RECORD_RETENTION_YEARS", "10"))
PRESCRIPTION_MAX_UPLOAD_BYTES = int(os.environ.get("PRESCRIPTION_MAX_UPLOAD_MB", "10")) * 1_048_576
# A prescription may come as several files (pages, front and back), each up to the size above.
PRESCRIPTION_MAX_FILES = int(os.environ.get("PRESCRIPTION_MAX_FILES", "5"))
# The largest request body anywhere (admin uploads of images, documents and CSV files included).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_MB", "25")) * 1_048_576
PRESCRIPTION_VALID_DAYS = int(os.environ.get("PRESCRIPTION_VALID_DAYS", "180"))
# Clinical screening counts as the patient's current medicines what was dispensed to them in these many days.
SCREENING_CURRENT_DAYS = int(os.environ.get("SCREENING_CURRENT_DAYS", "90"))
# Labels and packing slips print names in any script with this TrueType font (and its bold, when it exists beside
# it as <name>-Bold.ttf); without the file they fall back to the PDF's built-in Helvetica (Western European only).
DOCUMENT_FONT = os.environ.get("DOCUMENT_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Controlled medicines are not sold online unless the operator turns this on; then the
# prescription must be recent and each order is limited.
SELL_CONTROLLED_ONLINE = env_bool("SELL_CONTROLLED_ONLINE", default=False)
CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS = int(os.environ.get("CONTROLLED_PRESCRIPTION_MAX_AGE_DAYS", "30"))
CONTROLLED_MAX_PACKS_PER_ORDER = int(os.environ.get("CONTROLLED_MAX_PACKS_PER_ORDER", "1"))
PAYMENT_PROVIDERS = env_list("PAYMENT_PROVIDERS", "orders.payments.PayOnDelivery,orders.payments.BankTransfer")
BANK_TRANSFER_DETAILS = os.environ.get(
    "BANK_TRANSFER_DETAILS", "Apothecary Pharmacy · IBAN XX00 0000 0000 0000 0000 00 · BIC XXXXXXXX"
)
# Shipping methods offered at checkout, the first one preselected: code, label, price (in PHARMACY_CURRENCY, as a
# string) and the delivery estimate shown beside it. The chosen method's price is added to the order's total.
SHIPPING_METHODS = [
    {"code": "standard", "label": "Standard delivery", "price": "4.95", "estimate": "3 to 5 working days"},
    {"code": "express", "label": "Express delivery", "price": "12.95", "estimate": "1 to 2 working days"},
]
# The countries a delivery address may be in (ISO 3166-1 alpha-2 code, name), the first one preselected. The
# region field follows the country: "State" (a list) for the United States, "County" (optional) for the United
# Kingdom, "Region" (optional) elsewhere (``orders.addresses``).
SHIPPING_COUNTRIES = [
    ("US", "United States"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("CA", "Canada"),
]


# Rate limits, as "requests/seconds" per client address (IPv6: per /64), or per e-mail address where it says so;
# "0/60" turns one off. Counted in the cache (shared by every app server on Redis; not counted, with a warning in
# the log, while the cache is unreachable). Log-in lock-outs are django-axes' (AXES_*), kept in the database.
def env_rate(name: str, default: str) -> tuple[int, int]:
    value = os.environ.get(name, default)
    try:
        count, seconds = (int(part) for part in value.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must look like 5/3600 (requests/seconds), not {value!r}") from None
    return count, seconds


RATE_LIMITS = {
    "password_reset": env_rate("RATE_LIMIT_PASSWORD_RESET", "10/3600"),
    "password_reset_email": env_rate("RATE_LIMIT_PASSWORD_RESET_EMAIL", "3/3600"),  # e-mails to one address
    "signup": env_rate("RATE_LIMIT_SIGNUP", "10/3600"),
    "signup_email": env_rate("RATE_LIMIT_SIGNUP_EMAIL", "3/3600"),  # e-mails to one address
    "signup_confirm": env_rate("RATE_LIMIT_SIGNUP_CONFIRM", "10/3600"),  # passwords tried on confirmation links
    "checkout": env_rate("RATE_LIMIT_CHECKOUT", "20/600"),
    "prescription_upload": env_rate("RATE_LIMIT_PRESCRIPTION_UPLOAD", "10/3600"),
    "search": env_rate("RATE_LIMIT_SEARCH", "120/60"),
}

# Two-factor sign-in (django-otp, TOTP): required of pharmacists and superusers for the admin and prescription files
# when on (production's default); other staff may turn it on for themselves at /account/two-factor/.
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Apothecary")

# Log-in lock-outs (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address,
# further log-ins are refused for AXES_COOLOFF_MINUTES, on the site and on /admin/. Staff lift a lock under
# Settings → Log-in lock-outs.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: the account, and the address
# A successful log-in (or a new password) clears that account's count only: axes' own reset would clear every count
# of the address too, letting someone with an account of their own guess at others' for ever (accounts.services).
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a guess during a pause does not make the pause last longer
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "apothecary.core.ratelimit.client_group"
AXES_USERNAME_CALLABLE = "accounts.services.login_name"
AXES_VERBOSE = False

# Comments and questions: the spam defence's knobs.
COMMENT_MIN_SECONDS = int(os.environ.get("COMMENT_MIN_SECONDS", "3"))
COMMENT_RATE_LIMIT = int(os.environ.get("COMMENT_RATE_LIMIT", "5"))
COMMENT_RATE_WINDOW = int(os.environ.get("COMMENT_RATE_WINDOW", "600"))
COMMENT_MAX_LINKS = int(os.environ.get("COMMENT_MAX_LINKS", "2"))
# Who is e-mailed a new question (comma-separated); empty: the active members of the Pharmacists group.
DISCUSSION_PHARMACIST_EMAILS = env_list("DISCUSSION_PHARMACIST_EMAILS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Accounts: the public sign-up, log-in and password-reset pages (accounts/urls.py).
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "/"

# Evidence verification: references' DOIs and PMIDs are checked against Crossref and PubMed (evidence/resolvers.py).
CROSSREF_API_URL = os.environ.get("CROSSREF_API_URL", "https://api.crossref.org")
PUBMED_EUTILS_URL = os.environ.get("PUBMED_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
VERIFICATION_TIMEOUT = float(os.environ.get("VERIFICATION_TIMEOUT", "5"))  # seconds per request
VERIFICATION_RETRIES = int(os.environ.get("VERIFICATION_RETRIES", "3"))  # retries after the first attempt
VERIFICATION_USER_AGENT = os.environ.get("VERIFICATION_USER_AGENT", "Apothecary/0.1 (mailto:pharmacy@localhost)")

# The JSON API (/api/): requests per address (public) and per token (staff) in each window of seconds, and how long
# the Last-Modified time of an answer is remembered.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "300"))
API_STAFF_RATE_LIMIT = int(os.environ.get("API_STAFF_RATE_LIMIT", "120"))
API_RATE_WINDOW = int(os.environ.get("API_RATE_WINDOW", "60"))
API_LAST_MODIFIED_TTL = int(os.environ.get("API_LAST_MODIFIED_TTL", "86400"))
# A staff API token stops working this many days after it is made (make a new one); and at once when its owner is
# deactivated or loses staff status, for good.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "90"))

# manage.py import_article and the admin's "Import an article": the largest page or file read, and how long to wait.
ARTICLE_IMPORT_MAX_BYTES = int(os.environ.get("ARTICLE_IMPORT_MAX_BYTES", "2000000"))
ARTICLE_IMPORT_TIMEOUT = float(os.environ.get("ARTICLE_IMPORT_TIMEOUT", "10"))
# Check a reference in the background when it is saved with a new DOI or PMID.
VERIFY_REFERENCES_ON_SAVE = env_bool("VERIFY_REFERENCES_ON_SAVE", default=True)
