"""Slow clients against a running API, with a normal client measuring what it gets meanwhile.

    python -m devtools.slow_clients http://127.0.0.1:8000 --token <access token>

Slowloris connections send a request header one line every `interval` seconds and never
finish it; slow uploads send a whole multipart request header, then trickle its body. Either
kind reconnects as soon as the server drops it, so the counts hold for the whole attack.
tests/deploy/test_topology.py runs it against `make run-prod`'s topology.
"""

import argparse
import json
import math
import select
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

CONNECT_TIMEOUT = 5


@dataclass
class Sample:
    seconds: float
    status: int | None  # None: no answer (timeout, connection error)
    error: str = ""


@dataclass
class Report:
    expected_status: int
    samples: list[Sample] = field(default_factory=list)
    slowloris_connections: int = 0  # connections opened, reconnections included
    upload_connections: int = 0
    dropped_by_server: int = 0
    bytes_trickled: int = 0

    @property
    def failures(self) -> list[Sample]:
        """Requests of the normal client that did not get the expected answer."""
        return [s for s in self.samples if s.status != self.expected_status]

    def percentile(self, q: float) -> float:
        ordered = sorted(s.seconds for s in self.samples)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    def summary(self) -> dict:
        return {
            "requests": len(self.samples),
            "failed": len(self.failures),
            "failures": Counter(s.error or str(s.status) for s in self.failures),
            "p50_s": round(self.percentile(0.50), 3),
            "p95_s": round(self.percentile(0.95), 3),
            "max_s": round(self.percentile(1.0), 3),
            "slowloris_connections": self.slowloris_connections,
            "upload_connections": self.upload_connections,
            "dropped_by_server": self.dropped_by_server,
            "bytes_trickled": self.bytes_trickled,
        }


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()

    def add(self, report: Report, name: str, amount: int = 1) -> None:
        with self.lock:
            setattr(report, name, getattr(report, name) + amount)


def _hold(
    address: tuple[str, int],
    head: bytes,
    drip: bytes,
    interval: float,
    stop: threading.Event,
    report: Report,
    counter: _Counter,
    kind: str,
) -> None:
    """Send `head`, then `drip` every `interval` seconds, until `stop`; reconnect when the
    server closes the connection."""
    while not stop.is_set():
        try:
            with socket.create_connection(address, timeout=CONNECT_TIMEOUT) as sock:
                sock.sendall(head)
                counter.add(report, kind)
                while not stop.is_set():
                    # Readable means the server answered (an error) or closed: start again.
                    readable, _, _ = select.select([sock], [], [], interval)
                    if readable:
                        break
                    sock.sendall(drip)
                    counter.add(report, "bytes_trickled", len(drip))
            if not stop.is_set():
                counter.add(report, "dropped_by_server")
        except OSError:
            if not stop.is_set():
                counter.add(report, "dropped_by_server")
                stop.wait(0.1)


def _slowloris_head(host: str, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: slowloris\r\n".encode()


def _upload_head(host: str, path: str, token: str, body_size: int) -> bytes:
    boundary = uuid.uuid4().hex
    # The declared body never arrives in full, so its content does not matter beyond looking
    # like a résumé with an image.
    preamble = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSlow\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        f"Content-Type: multipart/form-data; boundary={boundary}",
        f"Content-Length: {body_size}",
    ]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + preamble


def _normal_client(
    url: str, token: str, pace: float, timeout: float, stop: threading.Event, report: Report
) -> None:
    session = requests.Session()
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, error = session.get(url, timeout=timeout).status_code, ""
        except requests.RequestException as exc:
            status, error = None, type(exc).__name__
        elapsed = time.perf_counter() - started
        report.samples.append(Sample(seconds=elapsed, status=status, error=error))
        stop.wait(max(0.0, pace - elapsed))


def attack(
    base_url: str,
    *,
    seconds: float = 30.0,
    slowloris: int = 50,
    uploads: int = 10,
    interval: float = 2.0,
    token: str = "",
    normal_path: str = "/api/resumes/",
    expected_status: int = 200,
    pace: float = 0.2,
    timeout: float = 10.0,
) -> Report:
    """Hold `slowloris` slowloris connections and `uploads` slow uploads against `base_url` for
    `seconds`, while a normal client GETs `normal_path` every `pace` seconds, expecting
    `expected_status` (each request gives up after `timeout` seconds)."""
    parts = urlsplit(base_url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    host = parts.netloc
    report, counter = Report(expected_status), _Counter()
    stop = threading.Event()
    attackers = []
    for number in range(slowloris):
        drip = f"X-Slow-{number}: x\r\n".encode()
        head = _slowloris_head(host, normal_path)
        args = (address, head, drip, interval, stop, report, counter, "slowloris_connections")
        attackers.append(threading.Thread(target=_hold, args=args, daemon=True))
    for _ in range(uploads):
        head = _upload_head(host, "/api/resumes/", token, body_size=512 * 1024)
        args = (address, head, b"\xff" * 64, interval / 2, stop, report, counter)
        attackers.append(
            threading.Thread(target=_hold, args=(*args, "upload_connections"), daemon=True)
        )
    for thread in attackers:
        thread.start()
    # Let every attacker connect before the normal client starts measuring.
    stop.wait(min(2.0, seconds / 10))
    normal = threading.Thread(
        target=_normal_client,
        args=(base_url + normal_path, token, pace, timeout, stop, report),
        daemon=True,
    )
    normal.start()
    time.sleep(seconds)
    stop.set()
    normal.join()
    for thread in attackers:
        thread.join(timeout=interval + 1)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("url", help="the API's base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--slowloris", type=int, default=50)
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--token", default="", help="access token for the normal client")
    parser.add_argument("--path", default="/api/resumes/", help="what the normal client GETs")
    parser.add_argument("--expect", type=int, default=200, help="the status it should get")
    args = parser.parse_args()
    report = attack(
        args.url.rstrip("/"),
        seconds=args.seconds,
        slowloris=args.slowloris,
        uploads=args.uploads,
        token=args.token,
        normal_path=args.path,
        expected_status=args.expect,
    )
    print(json.dumps(report.summary(), indent=2))


if __name__ == "__main__":
    main()
