import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apothecary.settings.production")

django_application = get_wsgi_application()

from apothecary.core.pagecache import PageCacheApplication  # noqa: E402 (needs the settings configured above)

# A page the page cache holds is answered before Django's handler (apothecary/core/pagecache.py).
application = PageCacheApplication(django_application)
