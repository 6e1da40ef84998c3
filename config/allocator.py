"""Keep a long-running worker's memory flat across large uploads.

glibc serves big allocations (decoded images, request bodies) from its heap once its
dynamic mmap threshold has grown, and heap fragmentation then keeps that memory resident:
in `python -m bench.run --only large_upload_5mib` a worker grew by ~1.7 MiB per 5 MiB upload.
After such a request the worker gives its free heap memory back to the system
(`malloc_trim`). A fixed mmap threshold did the same by making every block of 64 KiB or more
its own mapping, but then every image buffer was mapped and faulted in anew: the image work
of a 200 KB JPEG cost 12 ms instead of 8.5 (`python -m bench.inprocess image-work`, medians).
"""

import ctypes
import ctypes.util
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    library = ctypes.util.find_library("c")
    if library is None:
        return None
    try:
        return ctypes.CDLL(library).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_trim = _malloc_trim()


def release_free_memory() -> bool:
    """Return the heap's free memory to the system; False where the C library is not glibc."""
    if _trim is None:
        return False
    _trim(0)
    return True
