"""The rows of a long list, fetched a page at a time (Anki's browser habit, STYLE.md 3), off
the UI thread.

`PagedRows` is what the case list and the mailbox share: the count of rows, the pages fetched
so far in a small least-recently-used cache, and one failure state. A model owns one and says
how to count and how to fetch a page (core calls); the model stays a thin
`QAbstractTableModel` that turns rows into cells.

Every read runs in the operation runner (`ui.operations`), so a slow server never freezes the
window: `reset()` counts and fetches the first page in one go and tells the model through
`counted(count)`; a row whose page is not here yet is shown empty while its page is fetched,
and `arrived(first, last)` tells the model which rows to paint again. A newer `reset()` (a new
search, F5) makes every answer still on its way to an older one be dropped.

`extras(rows)` (optional) reads more for a page in the same background step (the mailbox's
recipients, say) and `keep(extra)` takes it on the UI thread.

After a failure nothing more is fetched until `reset()` (F5): the list shows what it has and
the model's `failed` callback says once, in Swedish, what happened. A refresh of the same list
that fails (`reset(keep_on_failure=True)`: a server gone for a while) keeps the rows shown, so
what is on screen stays readable; a new search that fails shows none of the old list's rows.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject

from .operations import Operation

R = TypeVar("R")

MAX_CACHED_PAGES = 30  # several screens in each direction


class PagedRows(Generic[R]):
    def __init__(
        self, owner: QObject, *, page_size: int, count: Callable[[], int],
        page: Callable[[int, int], list[R]], failed: Callable[[Exception, bool], None],
        counted: Callable[[int], None], arrived: Callable[[int, int], None],
        dropped: Callable[[list[R]], None] | None = None,
        extras: Callable[[list[R]], object] | None = None,
        keep: Callable[[object], None] | None = None, max_pages: int = MAX_CACHED_PAGES,
    ) -> None:
        """`count()` counts the rows, `page(offset, limit)` fetches some (both in a worker
        thread); `failed(exc, first)` is told of a storage failure (`first`: the first since the
        last reset); `counted(count)` when a reset's count and first page are here;
        `arrived(first_row, last_row)` when a later page is; `dropped(rows)` when a page leaves
        the cache."""
        self._owner = owner
        self.page_size = page_size
        self._count_rows = count
        self._fetch = page
        self._failed = failed
        self._counted = counted
        self._arrived = arrived
        self._dropped = dropped
        self._extras = extras
        self._keep = keep
        self._max_pages = max_pages
        self.count = 0
        self.failed = False
        self.loading = False  # a reset's count is on its way
        self.pages: OrderedDict[int, list[R]] = OrderedDict()
        self._asked: set[int] = set()  # pages on their way
        self._generation = 0

    def clear(self) -> None:
        """Forget the fetched rows (the count stays: a new sort order, say). While a reset is
        on its way, it is asked again (its first page was read in the old order)."""
        if self.loading:
            self.reset()
            return
        self._generation += 1
        self.pages.clear()
        self._asked.clear()
        self.failed = False

    def reset(self, *, keep_on_failure: bool = False) -> None:
        """Count again and fetch the first page, in the background. Until they are here the
        rows fetched before stay (a search typed letter by letter does not blink), and no more
        pages are fetched. `keep_on_failure`: the same rows asked again, which stay if the
        answer does not come."""
        self._generation += 1
        self._asked.clear()
        self.loading = True
        generation, size = self._generation, self.page_size
        count_rows, fetch, extras = self._count_rows, self._fetch, self._extras

        def work() -> tuple[int, list[R], object]:
            count = count_rows()
            rows = fetch(0, size) if count else []
            return count, rows, extras(rows) if extras is not None and rows else None

        def done(result: tuple[int, list[R], object]) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.failed = False
            self.pages.clear()
            count, rows, extra = result
            self.count = count
            if count:
                self._store(0, rows, extra)
            self._counted(count)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self.loading = False
                if keep_on_failure:
                    self.fail(exc)
                    return
                self.pages.clear()
                self.count = 0
                self.fail(exc)
                self._counted(0)

        Operation(self._owner, work).success(done).failure(failed).run()

    def fail(self, exc: Exception) -> None:
        first = not self.failed
        self.failed = True
        self._failed(exc, first)

    def row(self, row: int) -> R | None:
        """The row, or None while its page is being fetched (it is asked for here)."""
        if not 0 <= row < self.count:
            return None
        page_number, offset = divmod(row, self.page_size)
        page = self.pages.get(page_number)
        if page is None:
            if not self.loading:
                self.fetch(page_number)
            return None
        self.pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def fetch(self, page_number: int) -> None:
        """Ask for a page in the background (once; not after a failure)."""
        if self.failed or page_number in self._asked or page_number in self.pages:
            return
        self._asked.add(page_number)
        generation, size = self._generation, self.page_size
        fetch, extras = self._fetch, self._extras

        def work() -> tuple[list[R], object]:
            rows = fetch(page_number * size, size)
            return rows, extras(rows) if extras is not None and rows else None

        def done(result: tuple[list[R], object]) -> None:
            if generation != self._generation:
                return
            self._asked.discard(page_number)
            rows, extra = result
            self._store(page_number, rows, extra)
            first = page_number * size
            self._arrived(first, min(first + len(rows), self.count) - 1)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._asked.discard(page_number)
                self.fail(exc)

        Operation(self._owner, work).success(done).failure(failed).run()

    def _store(self, page_number: int, rows: list[R], extra: object) -> None:
        if extra is not None and self._keep is not None:
            self._keep(extra)
        self.pages[page_number] = rows
        while len(self.pages) > self._max_pages:
            _number, old = self.pages.popitem(last=False)
            if self._dropped is not None:
                self._dropped(old)

    def find(self, matches: Callable[[R], bool]) -> int | None:
        """The row number of the first fetched row that `matches`, if one is here."""
        for page, rows in self.pages.items():
            for offset, row in enumerate(rows):
                if matches(row):
                    return page * self.page_size + offset
        return None

    def replace(self, row: int, value: R) -> None:
        page, offset = divmod(row, self.page_size)
        self.pages[page][offset] = value
