"""What the generator and the templates both use: a stable hash and each outlet's boilerplate.

The boilerplate sentences are template text (rendered on every page of an outlet) that the
generator also reports as ground truth, so they live below both.
"""

from __future__ import annotations

import hashlib
from typing import Protocol


class OutletLike(Protocol):
    """The parts of an outlet its boilerplate is made from."""

    @property
    def slug(self) -> str: ...
    @property
    def index(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def domain(self) -> str: ...


def stable_hash(*parts: object) -> int:
    """A stable 64-bit hash (Python's hash() is salted per process)."""
    d = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(d, "big")


_COOKIE = (
    "We use cookies so {name} can remember your settings and learn which stories readers value.",
    "{name} and its advertising partners store small files on your device to measure audiences.",
    "By continuing to browse {name} you agree to our use of cookies for analytics and adverts.",
    "Your privacy matters to {name}: choose which optional cookies you are happy to accept.",
    "{name} needs a few cookies to work properly and would like to set some more for statistics.",
)
_NEWSLETTER = (
    "Get the morning briefing from {name} in your inbox before breakfast, every weekday.",
    "Sign up for the {name} evening digest and never miss the stories people talk about.",
    "One email, five stories, no noise: subscribe to the weekly {name} letter today.",
    "Join thousands of readers who start the day with the {name} news roundup.",
    "The best of {name}, hand-picked by our editors and delivered every Sunday morning.",
)
_COMMENTS = (
    "Comments are moderated and may take a few minutes to appear below the article.",
    "Readers' comments stay open for two days after publication; please keep them civil.",
    "Log in or create a free account to join the discussion on this story.",
    "Our community guidelines apply to every comment posted under this article.",
    "Have your say: the comment section closes at midnight on the day of publication.",
)
_SUPPORT = (
    "Independent local journalism costs money. Support {name} from just a few crowns a month.",
    "If you value reporting like this, consider becoming a member of {name} today.",
    "{name} is funded by its readers. Every subscription keeps our reporters on the street.",
    "Quality news is not free. Subscribe to {name} and read without limits.",
    "Help keep {name} independent with a one-off contribution or a monthly membership.",
)
_STREETS = ("Harbour Lane", "Mill Street", "Quay Road", "Printers' Row", "Station Square")


def boilerplate_strings(o: OutletLike) -> tuple[str, ...]:
    """Template sentences of outlet `o`: on every page it serves, in no article body."""
    hit = _BP.get(o.slug)
    if hit is None:
        hit = _BP[o.slug] = _boilerplate(o)
    return hit


_BP: dict[str, tuple[str, ...]] = {}


def _boilerplate(o: OutletLike) -> tuple[str, ...]:
    k, name = o.index, o.name
    street = _STREETS[k % len(_STREETS)]
    return (
        _COOKIE[k % 5].format(name=name),
        _NEWSLETTER[(k + 1) % 5].format(name=name),
        _COMMENTS[(k + 2) % 5],
        _SUPPORT[(k + 3) % 5].format(name=name),
        f"© 2026 {name}. All rights reserved.",
        f"{name} is a made-up publication that exists only to test news software.",
        f"Registered office: {10 + k} {street}, {o.domain.split('.')[1].title()} Town. "
        f"Company number {4000 + 37 * k}.",
        "Reproduction of any part of this site without written permission is prohibited.",
    )
