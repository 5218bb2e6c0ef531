from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from home import checks  # noqa: F401 (registers the deployment checks)
