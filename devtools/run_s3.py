"""`make run-s3`: serve the API with images on a local moto S3 server."""

import argparse
import os
import subprocess
import sys

from devtools.moto_s3 import local_s3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--s3-port", type=int, default=int(os.environ.get("S3_PORT", "9000")))
    parser.add_argument("--bucket", default=os.environ.get("S3_BUCKET", "resume-api-local"))
    args = parser.parse_args()

    with local_s3(args.bucket, host=args.host, port=args.s3_port) as s3:
        print(f"moto S3 server at {s3.endpoint_url}, bucket {s3.bucket!r} (data is kept in memory)")
        env = {**os.environ, **s3.environment()}
        command = [sys.executable, "manage.py", "runserver", f"{args.host}:{args.port}"]
        try:
            return subprocess.call(command, env=env)  # noqa: S603 - fixed command
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
