"""Real failures for the tests: an S3 endpoint that misbehaves, a table that refuses writes."""

import atexit
import contextlib
import copy
import functools
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import requests
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import load_backend

from devtools.moto_s3 import free_port


@contextmanager
def failing_s3(status: int, code: str = "", delay: float = 0.0) -> Iterator[str]:
    """An HTTP server on loopback that answers every S3 call with `status` and an S3 error
    body (after `delay` seconds). Yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            if delay:
                time.sleep(delay)
            body = (
                f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
                f"<Message>simulated {code}</Message></Error>"
            ).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (timeout tests)

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def hanging_s3() -> Iterator[str]:
    """A loopback socket that accepts every connection and never answers. Yields its URL."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=128)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed
            held.append(connection)  # open, read from by no one, answered never

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        for connection in held:
            connection.close()


BASE_DIR = Path(__file__).resolve().parents[2]


@functools.cache
def collected_static_root() -> str:
    """Static files collected once per test run: with DEBUG off the server refuses to start
    without them."""
    root = tempfile.mkdtemp(prefix="resume-api-static-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "ENV_FILE": os.devnull,
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-only",
        "STATIC_ROOT": root,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
    )
    return root


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """The project under gunicorn (2 sync workers, as in production) on a free loopback
    port, with `env` as its whole environment besides PATH and collected static files.
    Yields its URL."""
    port = free_port()
    command = [
        *(sys.executable, "-m", "gunicorn", "config.wsgi"),
        *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
        *("--timeout", env.get("GUNICORN_TIMEOUT", "30")),
    ]
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "ENV_FILE": os.devnull,
        "STATIC_ROOT": collected_static_root(),
        **env,
    }
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
            command, cwd=BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        # The master listens at once; a worker answers once it has loaded the project.
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-3000:]}")
            try:
                requests.get(f"http://127.0.0.1:{port}/api/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not answer: {log.read_text()[-3000:]}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def database_for_servers(tmp_path) -> Iterator[dict]:
    """The test database as other threads and processes can open it; yields its settings.

    pytest-django's `live_server` hands the test's in-memory SQLite connection to every
    request thread (in-memory databases cannot be opened twice): concurrent requests then
    interleave their transactions on one connection ("cannot start a transaction within a
    transaction"), which no deployment does. So on SQLite the test database (as it is now)
    is copied to a file, which the servers and this test use instead; PostgreSQL
    connections are per thread and per process already.
    """
    main = connections[DEFAULT_DB_ALIAS]
    database = copy.deepcopy(main.settings_dict)
    in_memory = main.vendor == "sqlite" and main.is_in_memory_db()
    if in_memory:
        database["NAME"] = str(tmp_path / "live.sqlite3")
        main.ensure_connection()
        with sqlite3.connect(database["NAME"]) as target:
            main.connection.backup(target)
        target.close()
        connections[DEFAULT_DB_ALIAS] = load_backend(database["ENGINE"]).DatabaseWrapper(
            copy.deepcopy(database), DEFAULT_DB_ALIAS
        )
    try:
        yield database
    finally:
        if in_memory:
            connections[DEFAULT_DB_ALIAS].close()
            connections[DEFAULT_DB_ALIAS] = main


def database_url(database: dict) -> str:
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


class RestartableS3:
    """A TCP proxy on a fixed loopback port in front of an S3 server, stopped and started at will.

    Stopping closes the port and every connection through it, which is what the API sees of an
    S3 outage (connections refused); starting it again serves the same server, with the same
    objects, on the same port. The same for moto's server and Ceph RGW, whose daemons the test
    may not own (CI starts one RGW for the whole run), in a few milliseconds instead of an RGW
    restart's seconds.
    """

    def __init__(self, upstream_url: str, host: str = "127.0.0.1") -> None:
        upstream = urlsplit(upstream_url)
        self.upstream = (upstream.hostname, upstream.port)
        self.host, self.port = host, free_port(host)
        self.url = f"http://{host}:{self.port}"
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        assert self._listener is None, "already running"
        self._listener = socket.create_server((self.host, self.port))  # SO_REUSEADDR
        self._accepting = threading.Thread(target=self._accept, args=(self._listener,))
        self._accepting.start()

    def stop(self) -> None:
        """Stop serving and close the socket: connections are refused from now on."""
        assert self._listener is not None, "not running"
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, set()
        listener.shutdown(socket.SHUT_RDWR)  # wakes accept()
        self._accepting.join()
        listener.close()
        _shut(*connections)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # stopped meanwhile
                    _shut(client, upstream)
                    return
                self._connections |= {client, upstream}
            threading.Thread(target=self._relay, args=(client, upstream), daemon=True).start()

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
        back.start()
        _pipe(client, upstream)
        back.join()
        with self._lock:
            self._connections -= {client, upstream}
        client.close()
        upstream.close()


def _pipe(source: socket.socket, target: socket.socket) -> None:
    """Copy bytes until either side closes, then close both ways of both sockets."""
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    _shut(source, target)


def _shut(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):  # already shut or closed
            sock.shutdown(socket.SHUT_RDWR)


@contextmanager
def restartable_s3(upstream_url: str) -> Iterator[RestartableS3]:
    s3 = RestartableS3(upstream_url)
    s3.start()
    try:
        yield s3
    finally:
        if s3.running:
            s3.stop()


def closed_port_url() -> str:
    """A loopback URL where nothing listens: connections are refused."""
    return f"http://127.0.0.1:{free_port()}"


@contextmanager
def table_rejects_writes(table: str) -> Iterator[None]:
    """A database trigger makes every INSERT and UPDATE on `table` fail."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION reject_write() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'simulated write failure' USING ERRCODE = '57P01'; "
                "END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER reject_write BEFORE INSERT OR UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION reject_write()"
            )
        else:
            for event in ("INSERT", "UPDATE"):
                cursor.execute(
                    f"CREATE TRIGGER reject_{event.lower()} BEFORE {event} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END"
                )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER reject_write ON {table}")
                cursor.execute("DROP FUNCTION reject_write()")
            else:
                cursor.execute("DROP TRIGGER reject_insert")
                cursor.execute("DROP TRIGGER reject_update")
