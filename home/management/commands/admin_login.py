"""``manage.py admin_login``: prints the demo logins that ``load_demo`` stored in ``var/demo-logins.txt``."""

from django.core.management.base import BaseCommand

from home.demo.loader import ADMIN_EMAIL, PHARMACIST_EMAIL, logins_path, read_logins


class Command(BaseCommand):
    help = "Print the demo site's admin and pharmacist logins."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Where the site is served.")

    def handle(self, *args, base_url="http://127.0.0.1:8000", **options):
        logins = read_logins()
        admin_url = f"{base_url.rstrip('/')}/admin/"
        if not logins:
            self.stdout.write(
                f"No demo logins yet ({logins_path()} is missing): run `make run` or `manage.py load_demo` first."
            )
            return
        for label, email in (("Admin", ADMIN_EMAIL), ("Pharmacist", PHARMACIST_EMAIL)):
            if email in logins:
                self.stdout.write(f"{label} login: {admin_url}  email {email}  password {logins[email]}")
