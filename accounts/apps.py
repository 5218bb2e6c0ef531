from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import audit, personal_data

        audit.connect()
        personal_data.register(
            personal_data.Part("account", personal_data.export_account, personal_data.erase_account, order=90)
        )
