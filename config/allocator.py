"""Keep a long-running worker's memory flat across large uploads.

glibc serves big allocations (decoded images, request bodies) from its heap once its
dynamic mmap threshold has grown, and heap fragmentation then keeps that memory resident:
in `python -m bench.run --only large_upload_5mib` a worker grew by ~1.7 MiB per 5 MiB upload.
A fixed threshold makes every block of 64 KiB or more its own mapping, returned to the OS
when freed; the growth disappears.
"""

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
MMAP_THRESHOLD_BYTES = 64 * 1024


def use_fixed_mmap_threshold() -> bool:
    """Apply the fixed threshold; False where the C library is not glibc."""
    library = ctypes.util.find_library("c")
    if library is None:
        return False
    try:
        mallopt = ctypes.CDLL(library).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
