"""A real S3 on loopback: a one-node Ceph cluster with a RADOS Gateway, from Debian's packages.

moto checks no presigned POST policy and no presigned GET signature; Ceph's RGW checks them as
AWS does. This starts one monitor (msgr2 on loopback), one bluestore OSD on a sparse file, and
radosgw's beast frontend on a loopback port, all under one directory, with no systemd:

    python -m devtools.ceph_rgw start --dir /tmp/ceph   # prints `export LIVE_S3_...=...`
    python -m devtools.ceph_rgw stop --dir /tmp/ceph

The daemons run as the calling user, daemonized with pid files in `<dir>/run`; their logs are
in `<dir>/log`.
"""

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from devtools.moto_s3 import REGION, free_port

# Debian bookworm packages and the programs this module runs from them.
PACKAGES = ("ceph-mon", "ceph-osd", "radosgw", "ceph-common")
PROGRAMS = ("monmaptool", "ceph-authtool", "ceph-mon", "ceph-osd", "radosgw", "radosgw-admin")
ACCESS_KEY = "live-s3-test-key"
SECRET_KEY = "live-s3-test-secret-0123456789abcdef"  # noqa: S105 - a loopback test cluster
USER_ID = "resume-api-test"
# Each daemon's name and program.
DAEMONS = {"client.rgw": "radosgw", "osd.0": "ceph-osd", "mon.a": "ceph-mon"}

CONF = """\
[global]
fsid = {fsid}
mon host = v2:127.0.0.1:{mon_port}
public addr = 127.0.0.1
ms bind msgr1 = false
keyring = {dir}/keyring
run dir = {dir}/run
admin socket = {dir}/run/$name.asok
pid file = {dir}/run/$name.pid
log file = {dir}/log/$name.log
mon data = {dir}/mon/$cluster-$id
osd data = {dir}/osd/$cluster-$id
# One OSD holds every placement group alone.
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
# RGW creates about seven pools: small ones stay under mon_max_pg_per_osd.
osd pool default pg num = 8
osd pool default pgp num = 8
# A test machine's disk may be fuller than a production monitor's thresholds allow.
mon data avail warn = 1
mon data avail crit = 0
auth allow insecure global id reclaim = false
# The monitor batches map changes for a second by default: each new RGW pool waits for it.
paxos propose interval = 0.1
paxos min wait = 0.01
osd objectstore = bluestore
bluestore block create = true
bluestore block size = {block_size}
bluestore block db create = false
bluestore block wal create = false
bluestore fsck on mkfs = false
osd memory target = 939524096

[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:{rgw_port}
rgw enable usage log = false
"""


def missing_programs() -> list[str]:
    return [program for program in PROGRAMS if shutil.which(program) is None]


@dataclass(frozen=True)
class LiveS3:
    """An S3 endpoint and the keys of a user allowed to create buckets there."""

    endpoint_url: str
    access_key: str
    secret_key: str
    region: str = REGION

    def client(self):  # noqa: ANN201 - boto3 clients have no importable type
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=BotoConfig(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def environment(self) -> dict[str, str]:
        """What the test suite reads to run the live-S3 tests against this server."""
        return {
            "LIVE_S3_ENDPOINT_URL": self.endpoint_url,
            "LIVE_S3_ACCESS_KEY_ID": self.access_key,
            "LIVE_S3_SECRET_ACCESS_KEY": self.secret_key,
            "LIVE_S3_REGION": self.region,
        }

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "LiveS3 | None":
        environ = os.environ if environ is None else environ
        if not environ.get("LIVE_S3_ENDPOINT_URL"):
            return None
        return cls(
            endpoint_url=environ["LIVE_S3_ENDPOINT_URL"],
            access_key=environ["LIVE_S3_ACCESS_KEY_ID"],
            secret_key=environ["LIVE_S3_SECRET_ACCESS_KEY"],
            region=environ.get("LIVE_S3_REGION") or REGION,
        )


def _run(*command: object) -> str:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments built here
        [str(part) for part in command], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(map(str, command))} failed: {result.stderr.strip()}")
    return result.stdout


def _wait(what: str, ready: Callable[[], bool], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
            raise RuntimeError(f"{what} not ready after {timeout:.0f} s; {log}:\n{tail}")
        time.sleep(0.25)


def _s3_answers(live: LiveS3) -> bool:
    try:
        live.client().list_buckets()
    except (BotoCoreError, ClientError):  # not listening yet, or the user not yet known
        return False
    return True


def _warm_up(live: LiveS3) -> None:
    """Write and delete one object, so that RGW's bucket pools exist before the first test
    (creating them takes longer than the tests' one-second S3 timeouts)."""
    client, bucket = live.client(), f"warm-up-{uuid.uuid4().hex}"
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="warm-up", Body=b"warm-up")
    client.delete_object(Bucket=bucket, Key="warm-up")
    client.delete_bucket(Bucket=bucket)


def start(
    directory: Path,
    *,
    port: int = 0,
    access_key: str = ACCESS_KEY,
    secret_key: str = SECRET_KEY,
    block_size: int = 4 * 1024**3,
    timeout: float = 120,
) -> LiveS3:
    """Create and start the cluster in `directory` (which must be empty or absent), create an
    S3 user with the given keys, and return once S3 answers that user."""
    missing = missing_programs()
    if missing:
        raise RuntimeError(
            f"Ceph programs not found: {', '.join(missing)}; "
            f"install the packages {' '.join(PACKAGES)} (Debian)"
        )
    directory = directory.resolve()
    if directory.exists() and any(directory.iterdir()):
        raise RuntimeError(f"{directory} is not empty: stop and remove the old cluster first")
    for sub in ("run", "log", "mon/ceph-a", "osd/ceph-0"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    port, mon_port = port or free_port(), free_port()
    fsid, osd_uuid = uuid.uuid4(), uuid.uuid4()
    conf = directory / "ceph.conf"
    conf.write_text(
        CONF.format(
            fsid=fsid, dir=directory, mon_port=mon_port, rgw_port=port, block_size=block_size
        )
    )
    c = ("-c", conf)
    keyring = directory / "keyring"
    # One keyring for every daemon; the monitor imports all of it (with caps) at mkfs.
    entities = {
        "mon.": ["mon", "allow *"],
        "client.admin": ["mon", "allow *", "osd", "allow *", "mgr", "allow *"],
        "osd.0": ["mon", "allow profile osd", "osd", "allow *", "mgr", "allow profile osd"],
        "client.rgw": ["mon", "allow rw", "osd", "allow rwx", "mgr", "allow rw"],
    }
    _run("ceph-authtool", "--create-keyring", keyring)
    for name, caps in entities.items():
        pairs = [arg for i in range(0, len(caps), 2) for arg in ("--cap", *caps[i : i + 2])]
        _run("ceph-authtool", keyring, "--gen-key", "-n", name, *pairs)
    monmap = directory / "monmap"
    _run(
        "monmaptool",
        "--create",
        "--fsid",
        fsid,
        "--addv",
        "a",
        f"[v2:127.0.0.1:{mon_port}]",
        monmap,
    )
    _run("ceph-mon", *c, "--mkfs", "-i", "a", "--monmap", monmap, "--keyring", keyring)
    _run("ceph-mon", *c, "-i", "a")
    _run("ceph", *c, "osd", "new", osd_uuid)
    _run("ceph-osd", *c, "-i", "0", "--mkfs", "--osd-uuid", osd_uuid)
    _run("ceph-osd", *c, "-i", "0")
    _run("radosgw-admin", *c, "user", "create", "--uid", USER_ID, "--display-name", USER_ID,
         "--access-key", access_key, "--secret-key", secret_key)  # fmt: skip
    _run("radosgw", *c, "-n", "client.rgw")
    live = LiveS3(f"http://127.0.0.1:{port}", access_key, secret_key)
    _wait("Ceph RGW", lambda: _s3_answers(live), timeout, directory / "log" / "client.rgw.log")
    _warm_up(live)
    return live


def _pid(directory: Path, daemon: str) -> int | None:
    """The running process of `daemon` in `directory`, if any: its pid file names it, and the
    pid is not a zombie nor since reused by another program."""
    try:
        pid = int((directory / "run" / f"{daemon}.pid").read_text())
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ValueError):
        return None
    program, state = stat.split("(", 1)[1].rsplit(")", 1)[0], stat.rsplit(")", 1)[1].split()[0]
    return pid if program == DAEMONS[daemon] and state != "Z" else None


def stop(directory: Path, timeout: float = 10) -> None:
    """Kill the daemons started in `directory` and wait until they are gone. The cluster is
    thrown away: nothing in it needs a clean shutdown (which takes the OSD seconds)."""
    directory = directory.resolve()
    running = {daemon: pid for daemon in DAEMONS if (pid := _pid(directory, daemon))}
    for pid in running.values():
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while any(_pid(directory, d) == pid for d, pid in running.items()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"Ceph daemons still running after SIGKILL: {running}")
        time.sleep(0.05)


@contextmanager
def ceph_rgw(directory: Path, **options: object) -> Iterator[LiveS3]:
    """Run the cluster for the duration of the block, then stop it and remove `directory`."""
    try:
        yield start(directory, **options)
    finally:
        stop(directory)
        shutil.rmtree(directory, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, required=True, help="the cluster's files and logs")
    parser.add_argument("--port", type=int, default=0, help="RGW's port (default: a free one)")
    parser.add_argument("--access-key", default=ACCESS_KEY)
    parser.add_argument("--secret-key", default=SECRET_KEY)
    args = parser.parse_args()
    if args.action == "stop":
        stop(args.dir)
        return 0
    started = time.monotonic()
    live = start(args.dir, port=args.port, access_key=args.access_key, secret_key=args.secret_key)
    for name, value in live.environment().items():
        print(f"export {name}={shlex.quote(value)}")
    seconds = time.monotonic() - started
    print(f"Ceph RGW answers at {live.endpoint_url} after {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
