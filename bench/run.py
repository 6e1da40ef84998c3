"""`make bench`: start moto's S3 server and the API under gunicorn (production settings,
2 workers), seed data, run the scenarios, stop everything, write the results.

    python -m bench.run [--resumes 200] [--requests 60] [--clients 16] [--duration 20] ...

Results: bench/results/latest.json, latest.md (table) and latest.png (chart).
"""

import argparse
import http.client
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests
from PIL import Image
from urllib3 import encode_multipart_formdata

from bench import measure, report
from bench.pdf import COMPLETE_RESUME
from bench.servers import (
    BUCKET,
    PROJECT,
    ApiServer,
    api_environment,
    api_server,
    manage,
    moto_server,
)
from devtools.moto_s3 import LocalS3

PASSWORD = "bench-Passw0rd-long-enough"
RESULTS = PROJECT / "bench" / "results"
SCENARIOS = (
    "list",
    "detail",
    "create_200kb",
    "large_upload_5mib",
    "slow_client",
    "concurrency",
    "presentation",
)


def log(message: str) -> None:
    print(message, flush=True)


# --- test images ------------------------------------------------------------------------


def photo_jpeg(target_bytes: int, seed: int = 1) -> bytes:
    """A photo-like JPEG (smooth gradient plus grain) close to `target_bytes`."""
    rng = random.Random(seed)
    side = 256
    best = b""
    for _ in range(12):
        gradient = Image.linear_gradient("L").resize((side, side)).convert("RGB")
        grain = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        image = Image.blend(gradient, grain, 0.35)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=92)
        best = buffer.getvalue()
        if abs(len(best) - target_bytes) < target_bytes * 0.05:
            break
        side = int(side * (target_bytes / len(best)) ** 0.5)
    return best


# --- API helpers --------------------------------------------------------------------------


class Api:
    def __init__(self, server: ApiServer) -> None:
        self.server = server
        self.base = server.base_url
        self.session = requests.Session()

    def login(self, username: str) -> str:
        self.session.post(
            f"{self.base}/api/auth/register/",
            json={"username": username, "email": f"{username}@bench.test", "password": PASSWORD},
            timeout=30,
        )
        response = self.session.post(
            f"{self.base}/api/auth/token/",
            json={"username": username, "password": PASSWORD},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["access"]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def busy_seconds(server: ApiServer, offset: int, path_prefix: str) -> list[float]:
    return [
        seconds
        for _, path, _, seconds in measure.access_log_entries(server.access_log, offset)
        if path.startswith(path_prefix)
    ]


def log_offset(server: ApiServer) -> int:
    return server.access_log.stat().st_size if server.access_log.exists() else 0


def inprocess(env: dict[str, str], *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.inprocess", *args],
        cwd=PROJECT,
        env={**env, "ALLOWED_HOSTS": "testserver"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def slow_post(url: str, body: bytes, headers: dict[str, str], bytes_per_second: int) -> int:
    """POST `body` with a Content-Length, sending it at `bytes_per_second`: a slow client."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    connection.putrequest("POST", parts.path + (f"?{parts.query}" if parts.query else ""))
    for name, value in {**headers, "Content-Length": str(len(body))}.items():
        connection.putheader(name, value)
    connection.endheaders()
    chunk = max(1, bytes_per_second // 20)
    for start in range(0, len(body), chunk):
        connection.send(body[start : start + chunk])
        time.sleep(chunk / bytes_per_second)
    status = connection.getresponse().status
    connection.close()
    return status


# --- scenarios ----------------------------------------------------------------------------


def seed(api: Api, token: str, count: int) -> list[int]:
    log(f"Seeding {count} résumés with images …")
    small = photo_jpeg(20_000)

    def create(n: int) -> int:
        response = requests.post(
            f"{api.base}/api/resumes/",
            headers=auth(token),
            data={"title": f"Résumé {n:03d}", "summary": "Seeded by the benchmark."},
            files={"image": ("seed.jpg", small, "image/jpeg")},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()["id"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(create, range(count)))


def scenario_list(api: Api, token: str, env: dict[str, str], args: argparse.Namespace) -> dict:
    log("Scenario 1: list")
    results = {}
    for page_size in (20, 100):
        url = f"{api.base}/api/resumes/?page_size={page_size}"
        measure.run_load(
            lambda s, n, url=url: s.get(url, headers=auth(token)), requests_per_client=3, clients=2
        )
        load = measure.run_load(
            lambda s, n, url=url: s.get(url, headers=auth(token)),
            clients=2,
            requests_per_client=args.requests // 2,
            label=f"page_size={page_size}",
        )
        results[f"page_size_{page_size}"] = {
            **load.as_dict(),
            "rows_per_second": round(load.requests_per_second * page_size, 1),
        }
    naive_url = f"{api.base}/bench/naive-resumes/"
    measure.run_load(
        lambda s, n: s.get(naive_url, headers=auth(token)), requests_per_client=2, clients=2
    )
    naive = measure.run_load(
        lambda s, n: s.get(naive_url, headers=auth(token)),
        clients=2,
        requests_per_client=max(5, args.requests // 4),
        label="naive reference",
    )
    results["naive_reference"] = {
        **naive.as_dict(),
        "rows_per_second": round(naive.requests_per_second * args.resumes, 1),
    }
    results["rows_per_second_ratio_vs_naive"] = round(
        results["page_size_100"]["rows_per_second"] / results["naive_reference"]["rows_per_second"],
        2,
    )
    results.update(inprocess(env, "list", "bench"))
    return results


def scenario_detail(api: Api, token: str, ids: list[int], args: argparse.Namespace) -> dict:
    log("Scenario 2: detail")
    rng = random.Random(2)
    load = measure.run_load(
        lambda s, n: s.get(f"{api.base}/api/resumes/{rng.choice(ids)}/", headers=auth(token)),
        clients=2,
        requests_per_client=args.requests // 2,
        label="detail",
    )
    return load.as_dict()


def worker_cpu(server: ApiServer) -> float:
    return sum(measure.cpu_seconds(pid) for pid in server.worker_pids())


def scenario_create(
    api: Api, token: str, env: dict[str, str], workdir: Path, args: argparse.Namespace
) -> dict:
    log("Scenario 3: create with a 200 KB JPEG (multipart)")
    jpeg = photo_jpeg(200_000, seed=3)
    path = workdir / "create.jpg"
    path.write_bytes(jpeg)

    def send(session: requests.Session, n: int) -> requests.Response:
        return session.post(
            f"{api.base}/api/resumes/",
            headers=auth(token),
            data={"title": f"Created {n}"},
            files={"image": ("photo.jpg", jpeg, "image/jpeg")},
            timeout=60,
        )

    measure.run_load(send, requests_per_client=3)
    cpu_before = worker_cpu(api.server)
    load = measure.run_load(send, requests_per_client=args.requests // 2, label="create")
    cpu_per_request_ms = (worker_cpu(api.server) - cpu_before) / load.requests * 1000
    image_work = inprocess(env, "image-work", str(path), "10")
    return {
        **load.as_dict(),
        "upload_bytes": len(jpeg),
        "server_cpu_ms_per_request": round(cpu_per_request_ms, 1),
        "image_work_alone_cpu_ms": round(image_work["cpu_ms"], 1),
        "cpu_ratio_vs_image_work": round(cpu_per_request_ms / image_work["cpu_ms"], 2),
    }


def scenario_large_upload(
    api: Api, token: str, env: dict[str, str], s3: LocalS3, workdir: Path, args: argparse.Namespace
) -> dict:
    log("Scenario 4: large upload (5 MiB JPEG)")
    jpeg = photo_jpeg(int(4.9 * 1024 * 1024), seed=4)
    path = workdir / "large.jpg"
    path.write_bytes(jpeg)
    image_work = inprocess(env, "image-work", str(path), "3")
    workers = api.server.worker_pids()

    def upload() -> tuple[float, str]:
        start = time.perf_counter()
        response = requests.post(
            f"{api.base}/api/resumes/",
            headers=auth(token),
            data={"title": "Large"},
            files={"image": ("large.jpg", jpeg, "image/jpeg")},
            timeout=120,
        )
        response.raise_for_status()
        return time.perf_counter() - start, response.json()["id"]

    for _ in range(len(workers)):
        upload()  # every worker has handled one before its memory is read
    walls, growths = [], []
    for _ in range(3):
        rss_before = {pid: measure.memory_kib(pid, "VmRSS") for pid in workers}
        for pid in workers:
            measure.reset_peak_memory(pid)
        wall, _ = upload()
        walls.append(wall)
        growths.append(max(measure.memory_kib(pid, "VmHWM") - rss_before[pid] for pid in workers))

    client = s3.client()
    stored_key = client.list_objects_v2(Bucket=BUCKET, Prefix="resumes/")["Contents"][0]["Key"]
    stored_bytes = b"\0" * image_work["stored_bytes"]
    put_times = []
    for n in range(3):
        start = time.perf_counter()
        client.put_object(Bucket=BUCKET, Key=f"bench/put-{n}", Body=stored_bytes)
        put_times.append(time.perf_counter() - start)
    assert stored_key

    log(f"  leak check: {args.leak_uploads} uploads")
    rss_start = None
    errors = 0
    for n in range(args.leak_uploads):
        try:
            upload()
        except requests.RequestException:
            errors += 1
        if n == 4:
            rss_start = sum(measure.memory_kib(pid, "VmRSS") for pid in workers)
        if n % 10 == 9:
            resident = ", ".join(f"{measure.memory_kib(pid, 'VmRSS') // 1024}" for pid in workers)
            log(f"  … {n + 1} uploads; workers' RSS (MiB): {resident}")
    rss_end = sum(measure.memory_kib(pid, "VmRSS") for pid in workers)

    api_wall = statistics.median(walls)
    put_wall = statistics.median(put_times)
    reference = put_wall + image_work["wall_ms"] / 1000
    return {
        "upload_bytes": len(jpeg),
        "api_wall_ms": round(api_wall * 1000, 1),
        "boto3_put_ms": round(put_wall * 1000, 1),
        "image_work_alone_ms": round(image_work["wall_ms"], 1),
        "wall_ratio_vs_put_plus_image_work": round(api_wall / reference, 2),
        "decoded_image_mib": round(image_work["decoded_bytes"] / 2**20, 1),
        "peak_rss_growth_mib": round(statistics.median(growths) / 1024, 1),
        "rss_growth_ratio_vs_decoded": round(
            statistics.median(growths) * 1024 / image_work["decoded_bytes"], 2
        ),
        "leak_check_uploads": args.leak_uploads,
        "leak_check_rss_growth_mib": round(((rss_end - (rss_start or rss_end)) / 1024), 1),
        "errors": errors,
    }


def scenario_slow_client(
    api: Api, token: str, env: dict[str, str], s3: LocalS3, workdir: Path, args: argparse.Namespace
) -> dict:
    log(f"Scenario 5: slow client ({args.slow_rate // 1000} KB/s)")
    jpeg = (workdir / "large.jpg").read_bytes()
    body, content_type = encode_multipart_formdata(
        {"title": "Slow", "image": ("slow.jpg", jpeg, "image/jpeg")}
    )
    offset = log_offset(api.server)
    status = slow_post(
        f"{api.base}/api/resumes/",
        body,
        {**auth(token), "Content-Type": content_type},
        args.slow_rate,
    )
    time.sleep(0.5)
    proxied_busy = sum(busy_seconds(api.server, offset, "/api/resumes/"))

    def direct(rate: int) -> tuple[float, int]:
        offset = log_offset(api.server)
        ticket = requests.post(
            f"{api.base}/api/uploads/",
            headers=auth(token),
            json={"purpose": "resume-image", "content_type": "image/jpeg", "size": len(jpeg)},
            timeout=30,
        ).json()
        form, form_type = encode_multipart_formdata(
            [*ticket["fields"].items(), ("file", ("slow.jpg", jpeg, "image/jpeg"))]
        )
        uploaded = slow_post(ticket["url"], form, {"Content-Type": form_type}, rate)
        claim = requests.post(
            f"{api.base}/api/resumes/",
            headers=auth(token),
            json={"title": "Direct", "image_key": ticket["key"]},
            timeout=60,
        )
        time.sleep(0.5)
        busy = sum(busy_seconds(api.server, offset, "/api/"))
        failed = int(uploaded >= 300) + int(claim.status_code != 201)
        return busy, failed

    direct_slow, slow_errors = direct(args.slow_rate)
    direct_fast, fast_errors = direct(args.slow_rate * 8)

    client = s3.client()
    staged = "bench/staged.jpg"
    client.put_object(Bucket=BUCKET, Key=staged, Body=jpeg)
    image_work = inprocess(env, "image-work", str(workdir / "large.jpg"), "3")
    thumb_and_main = b"\0" * image_work["stored_bytes"]
    start = time.perf_counter()
    client.get_object(Bucket=BUCKET, Key=staged)["Body"].read()
    for name in ("bench/final.jpg", "bench/final_thumb.jpg"):
        client.head_object(Bucket=BUCKET, Key=staged)
        client.put_object(Bucket=BUCKET, Key=name, Body=thumb_and_main)
    client.delete_object(Bucket=BUCKET, Key=staged)
    claim_round_trips = time.perf_counter() - start
    reference = image_work["wall_ms"] / 1000 + claim_round_trips
    return {
        "client_rate_bytes_per_second": args.slow_rate,
        "proxied_upload_worker_busy_s": round(proxied_busy, 2),
        "proxied_status": status,
        "direct_upload_worker_busy_s": round(direct_slow, 3),
        "direct_upload_worker_busy_s_at_8x_rate": round(direct_fast, 3),
        "image_work_plus_claim_s3_round_trips_s": round(reference, 3),
        "direct_busy_ratio_vs_reference": round(direct_slow / reference, 2),
        "errors": int(status != 201) + slow_errors + fast_errors,
    }


def scenario_concurrency(api: Api, token: str, ids: list[int], args: argparse.Namespace) -> dict:
    log(f"Scenario 6: {args.clients} clients, mixed reads and writes, {args.duration} s")
    small = photo_jpeg(30_000, seed=6)
    rng = random.Random(6)

    def send(session: requests.Session, n: int) -> requests.Response:
        roll = rng.random()
        headers = auth(token)
        if roll < 0.5:
            return session.get(f"{api.base}/api/resumes/?page_size=20", headers=headers, timeout=60)
        if roll < 0.75:
            return session.get(
                f"{api.base}/api/resumes/{rng.choice(ids)}/", headers=headers, timeout=60
            )
        if roll < 0.9:
            return session.patch(
                f"{api.base}/api/resumes/{rng.choice(ids)}/",
                headers=headers,
                json={"summary": f"edit {n}"},
                timeout=60,
            )
        return session.post(
            f"{api.base}/api/resumes/",
            headers=headers,
            data={"title": f"Concurrent {n}"},
            files={"image": ("c.jpg", small, "image/jpeg")},
            timeout=60,
        )

    load = measure.run_load(send, clients=args.clients, duration=args.duration, label="mixed")
    return {**load.as_dict(), "clients": args.clients}


def scenario_presentation(
    api: Api, token: str, env: dict[str, str], args: argparse.Namespace
) -> dict:
    log("Scenario 7: the public page and PDF downloads, beside the detail endpoint")
    response = requests.post(
        f"{api.base}/api/resumes/",
        headers=auth(token),
        data={
            "title": "Public résumé",
            "content": COMPLETE_RESUME.read_text(),
            "is_public": "true",
        },
        files={"image": ("photo.jpg", photo_jpeg(60_000, seed=7), "image/jpeg")},
        timeout=60,
    )
    response.raise_for_status()
    resume = response.json()
    detail_url = f"{api.base}/api/resumes/{resume['id']}/"
    pdf_url = f"{detail_url}pdf/"
    public_pdf_url = f"{resume['share_url']}pdf/"
    # Without a broker the first download renders the PDF during the request; the next are
    # the cached case measured below.
    first = requests.get(pdf_url, headers=auth(token), allow_redirects=False, timeout=120)
    rendered = first.status_code == 302

    def measured(label: str, send: Callable, ok: tuple[int, ...] = (200,)) -> dict:
        measure.run_load(send, clients=2, requests_per_client=3, ok=ok)  # warm-up
        cpu_before = worker_cpu(api.server)
        # CPU time is counted in 10 ms ticks: enough requests that a tick is under 2 %.
        load = measure.run_load(
            send, clients=2, requests_per_client=args.requests * 4, ok=ok, label=label
        )
        cpu_ms = (worker_cpu(api.server) - cpu_before) / max(load.requests, 1) * 1000
        return {**load.as_dict(), "server_cpu_ms_per_request": round(cpu_ms, 2)}

    rows = {
        "detail": measured("detail", lambda s, n: s.get(detail_url, headers=auth(token))),
        "public_page": measured("public page", lambda s, n: s.get(resume["share_url"])),
        "pdf_download": measured(
            "PDF download (owner)",
            lambda s, n: s.get(pdf_url, headers=auth(token), allow_redirects=False),
            ok=(302,),
        ),
        "public_pdf_download": measured(
            "PDF download (public)",
            lambda s, n: s.get(public_pdf_url, allow_redirects=False),
            ok=(302,),
        ),
    }
    detail = rows["detail"]
    return {
        **rows,
        "first_download_rendered": rendered,
        "page_rps_ratio_vs_detail": round(
            rows["public_page"]["requests_per_second"] / detail["requests_per_second"], 2
        ),
        "pdf_download_cpu_ratio_vs_detail": round(
            rows["pdf_download"]["server_cpu_ms_per_request"] / detail["server_cpu_ms_per_request"],
            2,
        ),
        "rendering": inprocess(env, "pdf", "classic", str(args.pdf_renders)),
        "errors": sum(row["errors"] for row in rows.values()) + int(not rendered),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--resumes", type=int, default=200, help="résumés seeded (default 200)")
    parser.add_argument("--requests", type=int, default=60, help="requests per latency scenario")
    parser.add_argument(
        "--clients", type=int, default=16, help="clients in the concurrency scenario"
    )
    parser.add_argument(
        "--duration", type=float, default=20, help="seconds of the concurrency scenario"
    )
    parser.add_argument(
        "--leak-uploads", type=int, default=50, help="5 MiB uploads in the leak check"
    )
    parser.add_argument(
        "--pdf-renders", type=int, default=500, help="renders in the PDF memory check"
    )
    parser.add_argument("--slow-rate", type=int, default=1_000_000, help="slow client, bytes/s")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results folder")
    parser.add_argument(
        "--only",
        type=lambda value: set(value.split(",")),
        default=set(SCENARIOS),
        help=f"comma list of scenarios to run (default all: {','.join(SCENARIOS)}); a partial "
        "run prints its figures but writes no results",
    )
    args = parser.parse_args()

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="resume-api-bench-") as tmp, moto_server() as s3:
        workdir = Path(tmp)
        env = api_environment(s3, workdir)
        env["JWT_ACCESS_TOKEN_MINUTES"] = "120"
        log("Migrating the benchmark database …")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")  # gunicorn refuses to start without them
        with api_server(env, workdir) as server:
            api = Api(server)
            token = api.login("bench")
            ids = seed(api, token, args.resumes)
            runners = {
                "list": lambda: scenario_list(api, token, env, args),
                "detail": lambda: scenario_detail(api, token, ids, args),
                "create_200kb": lambda: scenario_create(api, token, env, workdir, args),
                "large_upload_5mib": lambda: scenario_large_upload(
                    api, token, env, s3, workdir, args
                ),
                "slow_client": lambda: scenario_slow_client(api, token, env, s3, workdir, args),
                "concurrency": lambda: scenario_concurrency(api, token, ids, args),
                "presentation": lambda: scenario_presentation(api, token, env, args),
            }
            scenarios = {name: run() for name, run in runners.items() if name in args.only}
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "database": "postgresql"
            if "postgres" in os.environ.get("DATABASE_URL", "")
            else "sqlite",
        },
        "options": {
            key: str(value)
            if isinstance(value, Path)
            else sorted(value)
            if isinstance(value, set)
            else value
            for key, value in vars(args).items()
        },
        "seconds": round(time.monotonic() - started, 1),
        "scenarios": scenarios,
    }
    if set(scenarios) != set(SCENARIOS):
        log(json.dumps(scenarios, indent=2))
        return 0
    results["targets"] = report.check_targets(scenarios)
    report.write(results, args.output)
    log(report.markdown(results))
    log(f"Wrote {args.output / 'latest.json'}, latest.md and latest.png in {results['seconds']} s")
    missed = [t["target"] for t in results["targets"] if not t["met"]]
    if missed:
        log("Targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
