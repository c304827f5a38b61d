"""List pagination whose cost does not grow with the table.

Django's paginator counts every matching row (`COUNT(*)` over millions of opportunities or
ledger entries) on every page view. `Paginator` here counts at most `COUNT_CAP + 1` rows
(`SELECT COUNT(*) FROM (SELECT … LIMIT 10001)`, served by the list's index): below the cap
the count and the page numbers are exact; above it the page shows "10000+" and pages up to
the cap, and the filters narrow the list further. Lists that must show an exact total (a
bill's lines) keep Django's paginator."""

from __future__ import annotations

from django.core.paginator import Paginator as DjangoPaginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class Paginator(DjangoPaginator):
    cap = COUNT_CAP

    @cached_property
    def _bounded_count(self) -> int:
        items = self.object_list
        if hasattr(items, "bounded_count"):  # e.g. customers.selectors.LedgerWindow
            return items.bounded_count(self.cap)
        if hasattr(items, "query"):  # a queryset: count a bounded subquery, without ordering
            return items.order_by()[: self.cap + 1].count()
        return len(items)

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than were counted."""
        return self._bounded_count > self.cap

    @property
    def display_count(self) -> str:
        return f"{self.cap}+" if self.capped else str(self.count)
