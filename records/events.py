"""Progress events from inside a stage (a page found, a page fetched), for the CLI's bar.

Stages cannot import flows (imports point one way), so they announce what happened
here and whoever watches subscribes: `flows.progress` while a terminal shows a bar.
Nobody listening (a deployment on a worker, a task in another process) costs one
list read per event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Subscriber = Callable[[str, int], None]
F = TypeVar("F", bound=Callable[..., None])


class Channel(Generic[F]):
    """Callbacks that come and go while other threads call them."""

    def __init__(self) -> None:
        self._subscribers: list[F] = []
        self._guard = threading.Lock()

    def subscribers(self) -> list[F]:
        if not self._subscribers:
            return []
        with self._guard:
            return list(self._subscribers)

    @contextmanager
    def subscribed(self, subscriber: F) -> Iterator[None]:
        with self._guard:
            self._subscribers.append(subscriber)
        try:
            yield
        finally:
            with self._guard:
                self._subscribers.remove(subscriber)


_pages: Channel[Subscriber] = Channel()
subscribed = _pages.subscribed


def emit(event: str, count: int = 1) -> None:
    """`event` happened `count` times: "discovered" (pages listed), "fetched" (pages done)."""
    for subscriber in _pages.subscribers():
        subscriber(event, count)
