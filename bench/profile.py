"""Profile the API's hot paths in one process with pyinstrument.

    python -m bench.profile [create|upload|claim|list|detail] [--repeat N]

create: a 200 KB JPEG in a multipart form; upload: the same with a 5 MiB JPEG; claim: a
direct upload's ticket and claim (5 MiB).

Starts moto's S3 server and a throwaway SQLite database, then runs the request through
Django's test client under the profiler and prints the call tree.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench.servers import api_environment, manage, moto_server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", choices=["create", "upload", "claim", "list", "detail"])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, moto_server() as s3:
        env = api_environment(s3, Path(tmp))
        manage(env, "migrate", "--noinput")
        os.environ.update({**env, "ALLOWED_HOSTS": "testserver"})
        import django

        django.setup()
        from bench.profiling import run

        run(args.path, args.repeat, s3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
