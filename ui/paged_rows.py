"""The rows of a long list, fetched a page at a time (Anki's browser habit, STYLE.md 3).

`PagedRows` is what the case list and the mailbox share: the count of rows, the pages fetched
so far in a small least-recently-used cache, and one failure state. A model owns one and says
how to count and how to fetch a page (core calls, wrapped in `storage_errors`); the model stays
a thin `QAbstractTableModel` that turns rows into cells.

After a failure nothing more is fetched until `reset()` (F5): the list shows what it has and
the model's `failed` callback says once, in Swedish, what happened.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from sipdesk.db import storage_errors
from sipdesk.errors import StorageError

R = TypeVar("R")

MAX_CACHED_PAGES = 30  # several screens in each direction


class PagedRows(Generic[R]):
    def __init__(
        self, *, page_size: int, count: Callable[[], int],
        page: Callable[[int, int], list[R]], failed: Callable[[Exception, bool], None],
        dropped: Callable[[list[R]], None] | None = None, max_pages: int = MAX_CACHED_PAGES,
    ) -> None:
        """`count()` counts the rows, `page(offset, limit)` fetches some; `failed(exc, first)`
        is told of a storage failure (`first`: the first since the last reset); `dropped(rows)`
        when a page leaves the cache."""
        self.page_size = page_size
        self._count_rows = count
        self._fetch = page
        self._failed = failed
        self._dropped = dropped
        self._max_pages = max_pages
        self.count = 0
        self.failed = False
        self.pages: OrderedDict[int, list[R]] = OrderedDict()

    def clear(self) -> None:
        """Forget the fetched rows (the count stays: a new sort order, say)."""
        self.pages.clear()
        self.failed = False

    def reset(self) -> int:
        """Forget everything and count again; returns the count."""
        self.clear()
        try:
            with storage_errors():
                self.count = self._count_rows()
        except StorageError as exc:
            self.fail(exc)
            self.count = 0
        return self.count

    def fail(self, exc: Exception) -> None:
        first = not self.failed
        self.failed = True
        self._failed(exc, first)

    def row(self, row: int) -> R | None:
        """The row, fetching its page when it is not here yet."""
        if not 0 <= row < self.count:
            return None
        page_number, offset = divmod(row, self.page_size)
        page = self.pages.get(page_number)
        if page is None:
            if self.failed:
                return None
            page = self.fetch(page_number)
            if page is None:
                return None
        else:
            self.pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def fetch(self, page_number: int) -> list[R] | None:
        try:
            with storage_errors():
                rows = self._fetch(page_number * self.page_size, self.page_size)
        except StorageError as exc:
            self.fail(exc)
            return None
        self.pages[page_number] = rows
        while len(self.pages) > self._max_pages:
            _number, old = self.pages.popitem(last=False)
            if self._dropped is not None:
                self._dropped(old)
        return rows

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
