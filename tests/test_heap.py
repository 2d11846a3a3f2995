"""The run's heap policy: large blocks stay in their own mappings after frees."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

# Frees a 4 MB block (glibc would raise its threshold to 4 MB), then counts the mapped
# blocks while 64 blocks of 512 KB are alive: all mapped when the threshold is pinned.
PROBE = """
import ctypes, sys
from flows.heap import fix_mmap_threshold

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                 "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
pinned = fix_mmap_threshold() if sys.argv[1] == "pinned" else False
big = bytearray(4 << 20)
del big
before = libc.mallinfo2().hblks
blocks = [bytearray(512 << 10) for _ in range(64)]
print(pinned, libc.mallinfo2().hblks - before)
"""


def _python(code: str, *args: str, env: dict[str, str] | None = None) -> list[str]:
    """Run `code` in a fresh interpreter (heap and pool policies are process-wide)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MALLOC_") and k != "ARROW_DEFAULT_MEMORY_POOL"
    }
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=base | (env or {}),
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def _probe(mode: str) -> tuple[str, int]:
    pinned, mapped = _python(PROBE, mode)
    return pinned, int(mapped)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_pinned_threshold_keeps_large_blocks_mapped() -> None:
    assert _probe("pinned") == ("True", 64)
    pinned, mapped = _probe("default")
    assert pinned == "False" and mapped < 64  # glibc's rising threshold put them in the heap


def test_a_user_setting_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.heap import fix_mmap_threshold

    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    assert fix_mmap_threshold() is False


ARROW_PROBE = (
    "import pyarrow as pa; from flows.heap import use_system_arrow_pool; "
    "chosen = use_system_arrow_pool(); "
    "t = pa.table({'x': pa.array(['a' * 1000] * 1000)}); "
    "print(chosen, pa.default_memory_pool().backend_name, "
    "pa.system_memory_pool().bytes_allocated() > 0)"
)


def _arrow_pool(env_extra: dict[str, str]) -> list[str]:
    return _python(ARROW_PROBE, env=env_extra)


def test_arrow_buffers_come_from_the_system_allocator() -> None:
    assert _arrow_pool({}) == ["True", "system", "True"]


def test_a_chosen_arrow_pool_is_left_alone() -> None:
    chosen, backend, _ = _arrow_pool({"ARROW_DEFAULT_MEMORY_POOL": "jemalloc"})
    assert chosen == "False" and backend != "system"
