"""manage.py reset_two_factor EMAIL: remove a person's authenticator app (lost phone); they set up a new one at
their next sign-in to the admin."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from accounts.models import User


class Command(BaseCommand):
    help = "Remove a person's two-factor device, so that they set up a new one at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {email}.")
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        log(instance=user, action="accounts.two_factor_reset")
        self.stdout.write(f"Removed {removed} two-factor device(s) of {user.email}; they set up a new one next time.")
