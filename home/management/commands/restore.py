"""manage.py restore DIR [--replace]: check a backup whole, then restore the database and both file stores (see
home/backup.py). Run ``manage.py migrate`` afterwards when the code is newer than the backup."""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and empty file stores."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace a database and stores that are not empty (everything in them now is lost).",
        )

    def handle(self, folder, replace, **options):
        try:
            summary = backup.restore(folder, replace=replace, say=self.stdout.write)
        except backup.VerificationFailed as exc:
            raise CommandError(f"Restored, but the check afterwards failed: {exc}") from None
        except backup.BackupError as exc:
            raise CommandError(f"Restore refused: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary.tables} tables ({summary.rows} rows) and {summary.files} files; every table's row "
                "count matches the backup's."
            )
        )
