from django.apps import AppConfig


class PrescriptionsConfig(AppConfig):
    name = "prescriptions"

    def ready(self):
        from accounts import personal_data
        from prescriptions.personal_data import erase, export

        personal_data.register(personal_data.Part("prescriptions", export, erase, order=40))
