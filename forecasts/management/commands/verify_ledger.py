from django.core.management.base import BaseCommand, CommandError

from forecasts.services.repair import repair_derived, repair_sums
from forecasts.verification import verify_ledger


class Command(BaseCommand):
    help = "Recompute every hash chain, head and community point; fail on any break."

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help=(
                "First recompute wrongly stored community points and rescore the "
                "latest resolution version of each question affected, and store "
                "the running sums wherever they are missing or wrong."
            ),
        )

    def handle(self, *args, **options):
        if options["repair"]:
            for slug in repair_derived():
                self.stdout.write(f"Repaired the community series of {slug}; rescored.")
            for slug in repair_sums():
                self.stdout.write(f"Stored the running sums of {slug}.")
        problems = verify_ledger()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Ledger broken: {problems[0]}")
        self.stdout.write(self.style.SUCCESS("Ledger verified: every chain is intact."))
