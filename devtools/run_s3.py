"""`make run-s3`: serve the API with images on a local moto S3 server.

moto keeps its objects in memory, so rows that point at them must not outlive it: the API
gets its own SQLite database, created empty at each start and deleted at exit. Accounts and
résumés made here last exactly as long as the photos they show; `make run` keeps its own.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from devtools.moto_s3 import local_s3

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT / "db-s3.sqlite3"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--s3-port", type=int, default=int(os.environ.get("S3_PORT", "9000")))
    parser.add_argument("--bucket", default=os.environ.get("S3_BUCKET", "resume-api-local"))
    parser.add_argument(
        "--database",
        type=Path,
        default=DEFAULT_DATABASE,
        help="SQLite file for this run, recreated at start and deleted at exit "
        f"(default: {DEFAULT_DATABASE.name})",
    )
    args = parser.parse_args()
    database = args.database.resolve()

    with local_s3(args.bucket, host=args.host, port=args.s3_port) as s3:
        print(f"moto S3 server at {s3.endpoint_url}, bucket {s3.bucket!r} (data is kept in memory)")
        print(f"database {database} (new and empty: it lives as long as the S3 data)")
        env = {**os.environ, **s3.environment(), "DATABASE_URL": f"sqlite:///{database}"}
        database.unlink(missing_ok=True)  # left by a run that was killed
        manage = [sys.executable, "manage.py"]
        try:
            subprocess.run([*manage, "migrate", "--noinput"], cwd=PROJECT, env=env, check=True)  # noqa: S603
            runserver = [*manage, "runserver", f"{args.host}:{args.port}"]
            return subprocess.call(runserver, cwd=PROJECT, env=env)  # noqa: S603 - fixed command
        except KeyboardInterrupt:
            return 0
        finally:
            database.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
