"""Keep a long-running worker's memory flat across large uploads.

glibc serves big allocations (decoded images, request bodies) from its heap once its
dynamic mmap threshold has grown, and heap fragmentation then keeps that memory resident:
in `python -m bench.run --only large_upload_5mib` a worker grew by ~1.7 MiB per 5 MiB upload.
So after a large request a worker that has grown gives its free heap memory back to the
system (`malloc_trim`). Not after every one: memory given back is faulted in again when it is
next used. A fixed mmap threshold (every block of 64 KiB or more its own mapping) kept memory
flat too, but mapped and faulted in every image buffer anew: the image work of a 200 KB JPEG
cost 12-13 ms instead of 8.2-8.8 (`python -m bench.inprocess image-work`, medians).
"""

import ctypes
import ctypes.util
import os
from collections.abc import Callable

# Resident memory a worker may gain over what it held after its last trim before it trims.
TRIM_AFTER_GROWTH_BYTES = 8 * 1024 * 1024


def _malloc_trim() -> Callable[[int], int] | None:
    library = ctypes.util.find_library("c")
    if library is None:
        return None
    try:
        return ctypes.CDLL(library).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_trim = _malloc_trim()
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_resident_after_trim = 0


def resident_bytes() -> int:
    """This process's resident memory (Linux)."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * _PAGE_BYTES


def release_free_memory() -> bool:
    """Return the heap's free memory to the system if the process has grown by
    TRIM_AFTER_GROWTH_BYTES since it last did; True if it did."""
    global _resident_after_trim
    if _trim is None or resident_bytes() - _resident_after_trim < TRIM_AFTER_GROWTH_BYTES:
        return False
    _trim(0)
    _resident_after_trim = resident_bytes()
    return True
