from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from forecasts.services import backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_ledger into this empty, migrated "
        "database, then verify every chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by export_ledger")
        parser.add_argument(
            "--accept-broken",
            action="store_true",
            help="restore even if verify_ledger finds broken chains (listed)",
        )

    def handle(self, *args, path, accept_broken, **options):
        try:
            with open(path, encoding="utf-8") as stream:
                restored = backup.import_backup(
                    stream=stream, accept_broken=accept_broken
                )
        except (OSError, backup.BackupError, DatabaseError) as error:
            raise CommandError(f"Nothing restored: {error}") from None
        for problem in restored.problems:
            self.stderr.write(problem)
        rows = ", ".join(f"{n} {label}" for label, n in restored.counts.items() if n)
        self.stdout.write(self.style.SUCCESS(f"Restored {rows or 'nothing'}."))
