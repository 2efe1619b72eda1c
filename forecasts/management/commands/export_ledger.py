import os

from django.core.management.base import BaseCommand

from forecasts.services import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database (users with their password hashes, "
        "questions, ledger, resolutions, scores) to PATH as JSON Lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to write; replaced if it exists")

    def handle(self, *args, path, **options):
        # Written aside and renamed, so a failed export never replaces a good file.
        partial = f"{path}.partial"
        with open(partial, "w", encoding="utf-8") as stream:
            counts = backup.export_backup(stream=stream)
        os.replace(partial, path)
        rows = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up to {path}: {rows or 'empty'}.")
        )
