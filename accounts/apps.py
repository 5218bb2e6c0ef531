from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import audit, personal_data

        audit.connect()

        from django.contrib.auth.signals import user_logged_in

        from accounts.services import clear_lockout

        user_logged_in.connect(
            lambda sender, request, user, **kwargs: clear_lockout(user), weak=False, dispatch_uid="clear_lockout"
        )
        personal_data.register(
            personal_data.Part("account", personal_data.export_account, personal_data.erase_account, order=90)
        )
