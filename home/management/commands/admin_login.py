"""``manage.py admin_login``: prints the demo logins that ``load_demo`` stored in ``var/demo-logins.txt``."""

from django.core.management.base import BaseCommand
from django.urls import NoReverseMatch, reverse

from home.demo.loader import ADMIN_EMAIL, PATIENT_EMAIL, PHARMACIST_EMAIL, logins_path, read_logins


def site_login_path() -> str:
    """The public log-in page (the patient's), or the home page while the site has none."""
    try:
        return reverse("accounts:login")
    except NoReverseMatch:
        return "/"


class Command(BaseCommand):
    help = "Print the demo site's admin, pharmacist and patient logins."

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
        site_url = base_url.rstrip("/") + site_login_path()
        for label, email, url in (
            ("Admin", ADMIN_EMAIL, admin_url),
            ("Pharmacist", PHARMACIST_EMAIL, admin_url),
            ("Patient", PATIENT_EMAIL, site_url),
        ):
            if email in logins:
                self.stdout.write(f"{label} login: {url}  email {email}  password {logins[email]}")
