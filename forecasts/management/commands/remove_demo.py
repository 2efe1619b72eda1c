from django.core.management.base import BaseCommand

from forecasts.practice.removal import remove_practice_set


class Command(BaseCommand):
    help = (
        "Remove the practice set (the questions load_demo created; a `practice` "
        "tag alone does not count) and log the removal."
    )

    def handle(self, *args, **options):
        removal = remove_practice_set()
        if removal is None:
            self.stdout.write("No practice questions; nothing removed.")
            return
        self.stdout.write(
            f"Removed {len(removal.question_slugs)} practice questions with "
            f"{removal.entries} entries, {removal.resolutions} resolutions and "
            f"{removal.clarifications} clarifications, and {removal.users} "
            "synthetic users."
        )
