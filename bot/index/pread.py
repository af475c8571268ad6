"""A flat .npy array read by offset with os.pread: nothing mapped into the process, little kept.

Why not a memory map for the index's large, randomly read arrays (entry records, BM25 postings): on
current kernels a fault on a mapped file maps a whole page-cache folio, often hundreds of kilobytes,
so a worker's resident set grows towards the size of everything it has ever touched, the same
gigabytes in every worker. Read with pread, the bytes come from the page cache, which every worker on
the host shares and the kernel may evict; the worker holds only the copy it is using (a system call,
about a microsecond, per read). The header is parsed with numpy's own reader; an object dtype (which
would need pickle) is refused.
Neighbours: bot/index/entry_rows.py (entry records) and bot/index/bm25.py (postings) read through this.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

_HAS_PREAD = hasattr(os, "pread")
# An array this small (a county's plans: postings of tens of KB) is read once at open and kept: a few
# hundred KB per worker, where a question would make some forty system calls for it. At national scale
# every such array is hundreds of MB and stays on disk.
IN_MEMORY_MAX = 2 << 20


class PreadArray:
    """A 1-d .npy file's bytes, read by offset with os.pread (nothing mapped, nothing kept)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, fortran, dtype = read_header(f)
            self.start = f.tell()
        if len(shape) != 1 or fortran or dtype.hasobject:
            raise ValueError(f"{path.name}: not a flat data array")
        self.dtype, self.length = np.dtype(dtype), int(shape[0])
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
        if os.fstat(fd).st_size < self.start + self.length * self.dtype.itemsize:
            os.close(fd)
            raise ValueError(f"{path.name}: shorter than its header says")
        self._fd: int | None = fd
        self._lock = threading.Lock()  # seek + read where the system has no pread (Windows)
        self._kept: bytes | None = None
        if self.length * self.dtype.itemsize <= IN_MEMORY_MAX:
            self._kept = self.read(0, self.length * self.dtype.itemsize)

    def take(self, a: int, b: int) -> np.ndarray:
        """Elements a..b-1 as a new read-only array (a copy from the page cache)."""
        size = self.dtype.itemsize
        if b <= a:
            return np.zeros(0, dtype=self.dtype)
        if self._kept is not None:  # a read-only view of the kept bytes, as a read's array is read-only
            return np.frombuffer(self._kept, dtype=self.dtype, count=b - a, offset=a * size)
        return np.frombuffer(self.read(a * size, (b - a) * size), dtype=self.dtype)

    def __len__(self) -> int:
        return self.length

    def read(self, offset: int, size: int) -> bytes:
        """`size` bytes from byte `offset` of the data."""
        if self._fd is None:
            raise OSError("index file closed")
        if self._kept is not None:
            if offset < 0 or offset + size > len(self._kept):
                raise OSError(f"short read at {offset} (index file changed underneath?)")
            return self._kept[offset:offset + size]
        if _HAS_PREAD:
            got = os.pread(self._fd, size, self.start + offset)
        else:
            with self._lock:
                os.lseek(self._fd, self.start + offset, os.SEEK_SET)
                got = os.read(self._fd, size)
        if len(got) != size:
            raise OSError(f"short read at {offset} (index file changed underneath?)")
        return got

    def __del__(self) -> None:
        fd, self._fd = getattr(self, "_fd", None), None
        if fd is not None:
            os.close(fd)
