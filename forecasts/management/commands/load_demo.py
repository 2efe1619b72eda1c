from django.core.management.base import BaseCommand, CommandError

from forecasts.practice.forecasters import NAMES
from forecasts.practice.loading import (
    DEFAULT_SEED,
    PracticeSetError,
    load_practice_set,
)


class Command(BaseCommand):
    help = (
        "Add the practice set: synthetic past questions (tag practice) with "
        "forecasters, resolutions and scores. A rerun adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forecasters", type=int, default=len(NAMES))
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, forecasters, seed, **options):
        try:
            report = load_practice_set(forecasters=forecasters, seed=seed)
        except PracticeSetError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Practice set: {len(report.created)} questions created with "
            f"{report.entries} entries, {len(report.skipped)} already present. "
            "Remove it with: python manage.py remove_demo"
        )
