"""The JSON API (django-ninja) at /api/."""

urlpatterns = []
