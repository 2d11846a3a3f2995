"""glibc heap policy for the process that runs a flow's batches.

glibc serves a freed large block's size from its heap afterwards (the mmap threshold
rises to it, up to 32 MB), so after a few batches every page body, Arrow buffer and
NumPy array of a batch lands in the heap arenas, and the holes they leave between
longer-lived objects are kept: at 37,000 pages the run's main process held 402 MB of
heap with 216 MB in use. Fixing the threshold keeps blocks of MMAP_THRESHOLD and up in
their own mappings, returned whole when freed.

pyarrow allocates from its own mimalloc by default, which kept what each batch's Arrow
tables had used: its arena in a 100,000-page run's main process held 26 MB at 7,000
pages and 48 MB at 35,000. Through the system allocator those buffers follow the rule
above.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

# 128 KiB is glibc's own starting value; fixing it only stops it from rising. A page
# body is typically 50-150 KB, so the larger ones and every batch-sized buffer are mapped
# on their own (a mapping costs two system calls, ~10 us, next to ~30 ms per page).
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt parameter number in glibc's malloc.h


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Pin glibc's mmap threshold; False where there is no glibc or the user set one."""
    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, threshold))
    except (OSError, AttributeError):
        return False  # musl and other C libraries have no mallopt


def use_system_arrow_pool() -> bool:
    """Route pyarrow through malloc; False where the user chose a pool."""
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return False
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    return True
