from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "discussion"

    def ready(self):
        from accounts import personal_data
        from discussion import signals  # noqa: F401 (a published comment changed: its page is rendered again)
        from discussion.personal_data import erase, export

        personal_data.register(personal_data.Part("discussion", export, erase, order=10))
