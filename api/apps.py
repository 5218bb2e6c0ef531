from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from api.services import revoke_tokens_of_former_staff

        def revoke_on_deactivation(sender, instance, created, **kwargs):
            if not created:
                revoke_tokens_of_former_staff(instance)

        post_save.connect(
            revoke_on_deactivation, sender=get_user_model(), weak=False, dispatch_uid="api.revoke_on_deactivation"
        )
