from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "discussion"

    def ready(self):
        from accounts import personal_data
        from discussion.personal_data import erase, export

        personal_data.register(personal_data.Part("discussion", export, erase, order=10))
