"""Client-side load and server-side readings (/proc and gunicorn's access log)."""

import multiprocessing
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
    processes: bool = True,
) -> LoadResult:
    """Call `send(session, n)` from `clients` clients, for a count or a time; time each call.

    Each client is a process of its own (forked, so `send` needs no pickling): as threads of
    this one they shared one GIL, and at about 500 requests/s the harness itself was the
    limit (a small JSON endpoint answered 484-518/s to two threads, a detail read 418-476/s
    against 497-579/s to two processes). `processes=False`: threads, for clients that must
    share state, such as one random sequence.
    """
    stop_at = time.monotonic() + duration if duration else None
    done = multiprocessing.get_context("fork").Value("i", 0)

    def client(report: Callable[[tuple[list[float], int]], None]) -> None:
        session = requests.Session()
        latencies: list[float] = []
        errors = n = 0
        while True:
            if requests_per_client is not None and n >= requests_per_client:
                break
            if stop_at is not None and time.monotonic() >= stop_at:
                break
            start = time.perf_counter()
            try:
                failed = send(session, n).status_code not in ok
            except requests.RequestException:
                failed = True
            elapsed = time.perf_counter() - start
            if failed:
                errors += 1
            else:
                latencies.append(elapsed)
            with done.get_lock():
                done.value += 1
            n += 1
        report((latencies, errors))

    started = time.perf_counter()
    progress = _Progress(label, lambda: done.value)
    progress.start()
    try:
        results = (_in_processes if processes else _in_threads)(client, clients)
    finally:
        progress.stop()
    seconds = time.perf_counter() - started
    latencies = [latency for client_latencies, _ in results for latency in client_latencies]
    return summarize(latencies, sum(errors for _, errors in results), seconds)


# A client: it runs its requests, then reports (latencies, errors) once.
Client = Callable[[Callable[[tuple[list[float], int]], None]], None]


def _in_threads(client: Client, count: int) -> list[tuple[list[float], int]]:
    results: list[tuple[list[float], int]] = []
    threads = [threading.Thread(target=client, args=(results.append,)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _in_processes(client: Client, count: int) -> list[tuple[list[float], int]]:
    context = multiprocessing.get_context("fork")
    started = []
    for _ in range(count):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=client, args=(sender.send,), daemon=True)
        process.start()
        sender.close()
        started.append((process, receiver))
    results = []
    for process, receiver in started:
        try:
            latencies, errors = receiver.recv()
        except EOFError:
            process.join()
            raise RuntimeError(f"A load client failed (exit code {process.exitcode}).") from None
        process.join()
        results.append((latencies, errors))
    return results


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
