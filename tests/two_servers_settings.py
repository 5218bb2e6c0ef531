"""The settings of tests/test_two_servers.py's app servers and worker: production's, read from the same environment
variables, but with static files found in the apps (no `collectstatic` before a test)."""

from apothecary.settings.production import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
