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
DEEP_OFFSET = 1_000


class Paginator(DjangoPaginator):
    cap = COUNT_CAP

    @cached_property
    def _bounded_count(self) -> int:
        items = self.object_list
        if hasattr(items, "bounded_count"):  # e.g. customers.selectors.LedgerWindow
            return items.bounded_count(self.cap)
        if hasattr(items, "query"):  # a queryset: count a bounded subquery, without ordering
            # values("pk"): the annotations the page shows are not computed for counting
            return items.order_by().values("pk")[: self.cap + 1].count()
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

    def page(self, number):
        """Deep pages (DEEP_OFFSET rows skipped or more) read their keys first, walking only
        the list's index, then their rows by key: an OFFSET over whole rows fetched and threw
        away every skipped row (a partner's page 500: 10,000 rows read for 20)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        items = self.object_list
        if bottom < DEEP_OFFSET or not hasattr(items, "query") or items.query.distinct:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(items.values_list("pk", flat=True)[bottom:top])
        rows = items.in_bulk(keys)
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


class WindowPaginator(Paginator):
    """No count at all: each page reads one row more than it shows, to know whether there is
    a next page. For lists whose filters cost a lookup per row (the HO pool's status), where
    even a bounded count reads thousands of rows. The page shows "21–40 of 41+"."""

    def __init__(self, object_list, per_page, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._seen = 0
        self._more = False

    @property
    def count(self) -> int:  # what is known: the rows up to the end of this page
        return self._seen

    @property
    def capped(self) -> bool:
        return self._more

    @property
    def display_count(self) -> str:
        return f"{self._seen}+" if self._more else str(self._seen)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self._seen // self.per_page)) + (1 if self._more else 0)

    def get_page(self, number):
        try:
            number = max(int(number), 1)
        except (TypeError, ValueError):
            number = 1
        return self.page(number)

    def page(self, number):
        number = max(int(number), 1)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            return self.page(1)
        self._more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        self._seen = bottom + len(rows)
        return self._get_page(rows, number, self)


class CheckedWalk:
    """The rows of `keys` (an ordered `values_list("pk", flat=True)` that an index serves)
    that `load(keys) -> {pk: row}` still returns, in the keys' order, sliceable like a
    queryset (for `WindowPaginator` and `[:n]`). For lists whose last condition is one
    PostgreSQL cannot estimate (both items of a duplicate pair still live: a join of every
    open pair with its two items), so it sorts every row instead of walking the index: the
    keys are read in batches and only those are checked, until the slice is full."""

    ordered = True  # for Django's paginator: the keys carry the order

    def __init__(self, keys, load, batch: int = 100):
        self.keys, self.load, self.batch = keys, load, batch

    def __getitem__(self, item: slice) -> list:
        start, stop = item.start or 0, item.stop
        if stop is None or item.step is not None:
            raise TypeError("CheckedWalk takes a bounded slice")
        found: list = []
        offset, batch = 0, self.batch
        while len(found) < stop:
            chunk = list(self.keys[offset : offset + batch])
            rows = self.load(chunk) if chunk else {}
            found += [rows[pk] for pk in chunk if pk in rows]
            if len(chunk) < batch:
                break
            offset += batch
        return found[start:stop]
