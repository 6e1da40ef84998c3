"""Client-side load and server-side readings (/proc and gunicorn's access log)."""

import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    median_ms: float
    p95_ms: float
    requests_per_second: float

    def as_dict(self) -> dict:
        return {
            key: round(value, 3) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summarize(latencies: list[float], errors: int, seconds: float) -> LoadResult:
    count = len(latencies) + errors
    return LoadResult(
        requests=count,
        errors=errors,
        seconds=seconds,
        median_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p95_ms=percentile(latencies, 0.95) * 1000,
        requests_per_second=count / seconds if seconds else 0.0,
    )


def run_load(
    send: Callable[[requests.Session, int], requests.Response],
    *,
    clients: int = 1,
    requests_per_client: int | None = None,
    duration: float | None = None,
    ok: tuple[int, ...] = (200, 201, 204),
    label: str = "",
) -> LoadResult:
    """Call `send(session, n)` from `clients` threads, for a count or a time; time each call."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + duration if duration else None

    def client() -> None:
        nonlocal errors
        session = requests.Session()
        n = 0
        while True:
            if requests_per_client is not None and n >= requests_per_client:
                return
            if stop_at is not None and time.monotonic() >= stop_at:
                return
            start = time.perf_counter()
            try:
                failed = send(session, n).status_code not in ok
            except requests.RequestException:
                failed = True
            elapsed = time.perf_counter() - start
            with lock:
                if failed:
                    errors += 1
                else:
                    latencies.append(elapsed)
            n += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    progress = _Progress(label, lambda: len(latencies) + errors)
    progress.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    progress.stop()
    return summarize(latencies, errors, time.perf_counter() - started)


class _Progress(threading.Thread):
    """Prints how many requests a scenario has made, every couple of seconds."""

    def __init__(self, label: str, count: Callable[[], int]) -> None:
        super().__init__(daemon=True)
        self.label, self.count, self.done = label, count, threading.Event()

    def run(self) -> None:
        while not self.done.wait(2.0):
            print(f"  … {self.label}: {self.count()} requests", flush=True)

    def stop(self) -> None:
        self.done.set()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_kib(pid: int, key: str) -> int:
    """VmRSS (current) or VmHWM (peak) resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


def reset_peak_memory(pid: int) -> None:
    """Set VmHWM back to the current RSS (Linux: write 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def access_log_entries(log: Path, start_offset: int = 0) -> list[tuple[str, str, int, float]]:
    """(method, path, status, seconds busy) for each request logged after `start_offset`."""
    entries = []
    with log.open() as handle:
        handle.seek(start_offset)
        for line in handle:
            method, path, status, micros = line.split()
            entries.append((method, path, int(status), int(micros) / 1e6))
    return entries
