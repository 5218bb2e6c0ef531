from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The import pipelines: legacy articles (``imports.articles``) and openFDA drug labels (``imports.openfda``),
    their management commands and the admin's "Import an article" screen. No models."""

    name = "imports"
