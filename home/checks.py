"""Deployment checks of the pharmacy's own (``manage.py check --deploy``), beside Django's."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def mail_is_sent(app_configs, **kwargs):
    """Sign-up confirmations, password resets and order e-mails must reach people, not the server's log."""
    if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
        return [
            Warning(
                "E-mail is printed to the console: sign-up links, password resets and order e-mails reach nobody.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to your SMTP server.",
                id="apothecary.W001",
            )
        ]
    return []
