"""manage.py backup DIR: the database and both file stores (public media, private prescriptions) into a new folder,
with a manifest of row counts and checksums (see home/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = "Back up the database and the public and private file stores into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new (or empty) folder; keep it as safe as the database itself.")

    def handle(self, folder, **options):
        try:
            summary = backup.backup(folder, say=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.tables} tables ({summary.rows} rows) and {summary.files} files "
                f"({summary.bytes / 1_048_576:.1f} MB in all) into {folder}."
            )
        )
