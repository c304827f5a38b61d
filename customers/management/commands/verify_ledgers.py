from django.core.management.base import BaseCommand, CommandError

from customers.ledger import accounts_out_of_balance, totals_out_of_step


class Command(BaseCommand):
    help = (
        "Check that every money account's ledger entries sum to its balance, and that every "
        "running total (LedgerTotal) is the sum and the number of its entries."
    )

    def handle(self, *args, **options):
        bad = list(accounts_out_of_balance())
        for account in bad:
            self.stdout.write(
                f"  {account}: balance {account.balance}, ledger {account.ledger_sum}"
            )
        if bad:
            raise CommandError(f"{len(bad)} account(s) out of balance")
        self.stdout.write("All ledgers sum to their balances.")
        mismatches = totals_out_of_step()
        for mismatch in mismatches:
            self.stdout.write(f"  {mismatch}")
        if mismatches:
            raise CommandError(f"{len(mismatches)} running total(s) out of step with the ledger")
        self.stdout.write("All running totals match their ledger entries.")
