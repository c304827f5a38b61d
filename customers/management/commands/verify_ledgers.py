from django.core.management.base import BaseCommand, CommandError

from customers.ledger import accounts_out_of_balance


class Command(BaseCommand):
    help = "Check that every money account's ledger entries sum to its balance."

    def handle(self, *args, **options):
        bad = list(accounts_out_of_balance())
        for account in bad:
            self.stdout.write(
                f"  {account}: balance {account.balance}, ledger {account.ledger_sum}"
            )
        if bad:
            raise CommandError(f"{len(bad)} account(s) out of balance")
        self.stdout.write("All ledgers sum to their balances.")
