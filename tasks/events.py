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

Subscriber = Callable[[str, int], None]

_subscribers: list[Subscriber] = []
_guard = threading.Lock()


def emit(event: str, count: int = 1) -> None:
    """`event` happened `count` times: "discovered" (pages listed), "fetched" (pages done)."""
    if not _subscribers:
        return
    with _guard:
        subscribers = list(_subscribers)
    for subscriber in subscribers:
        subscriber(event, count)


@contextmanager
def subscribed(subscriber: Subscriber) -> Iterator[None]:
    with _guard:
        _subscribers.append(subscriber)
    try:
        yield
    finally:
        with _guard:
            _subscribers.remove(subscriber)
