"""Keys and digests that more than one layer computes or stores.

The crawl stage and the crawl store must agree on a body's digest, and the dedup stage
and the dedup index on how 64-bit keys are mixed; both sides import them from here.
"""

from __future__ import annotations

import hashlib

import numpy as np

_U64 = np.uint64
_C1 = _U64(0xBF58476D1CE4E5B9)
_C2 = _U64(0x94D049BB133111EB)


def body_digest(body: bytes) -> str:
    """Content digest stored in http_cache, to spot unchanged pages served without validators."""
    return hashlib.sha1(body).hexdigest()


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spreads every input bit over the output (works on a copy)."""
    x = x ^ (x >> _U64(30))
    x *= _C1
    x ^= x >> _U64(27)
    x *= _C2
    x ^= x >> _U64(31)
    return x
