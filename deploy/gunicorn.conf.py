"""gunicorn settings for resume-api: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Sync workers serve one request at a time, so they must only ever talk to nginx
(deploy/nginx/), which reads each request in full before passing it on and takes each
response in full: a slow client then holds an nginx connection, never a worker.
"""

import multiprocessing
import os
from pathlib import Path

from dotenv import load_dotenv

# The same file config/settings.py loads, so that both read one GUNICORN_TIMEOUT.
load_dotenv(os.environ.get("ENV_FILE") or Path(__file__).resolve().parent.parent / ".env")

# Comma-separated addresses. Bind where only nginx can connect: loopback when nginx runs on
# the same machine, the private address when it runs elsewhere. Never a public address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
# A worker busy for longer than this is killed and replaced. config/settings.py reads the
# same variable to check that a request's S3 calls fit in it; nginx's proxy_read_timeout
# (35 s) is set just above the default.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = timeout
# Addresses whose X-Forwarded-Proto gunicorn believes: nginx's.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Recycle workers now and then, so slow leaks in any library never accumulate.
max_requests = 1000
max_requests_jitter = 100
# Django logs every request (api/middleware.py); gunicorn logs only its own events.
errorlog = "-"
proc_name = "resume-api"
