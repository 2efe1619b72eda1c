from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forecasts.seed_files import SeedError
from forecasts.services.seeding import load_seeds


class Command(BaseCommand):
    help = "Create or update the questions in seeds/ (idempotent; forecasts untouched)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="seed directory")

    def handle(self, *args, dir=None, **options):
        try:
            report = load_seeds(directory=dir or settings.SEEDS_DIR)
        except SeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Seeds: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )
