"""Production settings: the base settings, refusing unsafe configurations, with HTTPS on by default.

Start-up fails fast when DEBUG is on or SECRET_KEY is missing: a site that
holds prescriptions must never run with a development key.

HTTPS: secure cookies, a redirect from http:// and HSTS (one year, subdomains, preload) are on unless turned off.
Behind a proxy that terminates TLS, keep them on and make sure the proxy sends ``X-Forwarded-Proto: https``
(``SECURE_PROXY_SSL_HEADER``); only a site without TLS at all (never a real pharmacy) sets
``SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set it to false).")
os.environ["DEBUG"] = "false"
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

from .base import *  # noqa: E402,F403

DEBUG = False
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)  # noqa: F405
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", default=True)  # noqa: F405
