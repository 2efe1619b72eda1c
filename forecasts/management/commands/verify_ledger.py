from django.core.management.base import BaseCommand, CommandError

from forecasts.verification import verify_ledger


class Command(BaseCommand):
    help = "Recompute every hash chain, head and community point; fail on any break."

    def handle(self, *args, **options):
        problems = verify_ledger()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Ledger broken: {problems[0]}")
        self.stdout.write(self.style.SUCCESS("Ledger verified: every chain is intact."))
