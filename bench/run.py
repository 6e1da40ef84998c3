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
from dataclasses import dataclass, field
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
    REFERENCE_DESIGN_VARIABLE,
    ApiServer,
    Reference,
    api_environment,
    api_server,
    manage,
    moto_server,
    reference_design_folder,
    reference_server,
)
from devtools.moto_s3 import LocalS3

PASSWORD = "bench-Passw0rd-long-enough"
RESULTS = PROJECT / "bench" / "results"
# Each part of the large upload's wall-time ratio is the median of this many runs: with 3,
# one slow run on a shared VM moved the ratio by 0.4.
LARGE_UPLOAD_REPEATS = 7
# The leak check's readings: uploads before the first window, and the windows' length.
LEAK_WARM_UP_UPLOADS = 5
LEAK_WINDOW_UPLOADS = 10
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


@dataclass
class Design:
    """One implementation of the API as the side-by-side scenarios drive it."""

    name: str
    server: ApiServer
    headers: dict[str, str]
    list_url: str
    create_url: str
    detail_url: Callable[[int], str]
    form: dict[str, str] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)

    def create(self, session: requests.Session, title: str, image: bytes) -> requests.Response:
        return session.post(
            self.create_url,
            headers=self.headers,
            data={**self.form, "title": title, "summary": "Seeded by the benchmark."},
            files={"image": ("photo.jpg", image, "image/jpeg")},
            timeout=120,
        )


def resume_api_design(api: "Api", token: str) -> Design:
    return Design(
        name="resume-api",
        server=api.server,
        headers=auth(token),
        list_url=f"{api.base}/api/resumes/?page_size=100",
        create_url=f"{api.base}/api/resumes/",
        detail_url=lambda pk: f"{api.base}/api/resumes/{pk}/",
    )


def reference_design(reference: Reference) -> Design:
    base = reference.server.base_url
    return Design(
        name="reference design",
        server=reference.server,
        headers={"Authorization": f"Token {reference.token}"},
        list_url=f"{base}/api/resumes/",
        create_url=f"{base}/api/resumes/new/",
        detail_url=lambda pk: f"{base}/api/resumes/{pk}/",
        # It takes the owner from the form.
        form={"user": str(reference.user_id)},
    )


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


def seed(design: Design, count: int) -> None:
    log(f"Seeding {count} résumés with images ({design.name}) …")
    small = photo_jpeg(20_000)

    def create(n: int) -> int:
        response = design.create(requests.Session(), f"Résumé {n:03d}", small)
        response.raise_for_status()
        return response.json()["id"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        design.ids = list(pool.map(create, range(count)))


def worker_cpu(server: ApiServer) -> float:
    return sum(measure.cpu_seconds(pid) for pid in server.worker_pids())


def measured_load(
    server: ApiServer, send: Callable, *, clients: int, requests_per_client: int, label: str
) -> dict:
    """A warmed-up load from `clients` threads, with the workers' CPU per request."""
    measure.run_load(send, clients=clients, requests_per_client=3)
    cpu_before = worker_cpu(server)
    load = measure.run_load(
        send, clients=clients, requests_per_client=requests_per_client, label=label
    )
    cpu_ms = (worker_cpu(server) - cpu_before) / max(load.requests, 1) * 1000
    return {**load.as_dict(), "server_cpu_ms_per_request": round(cpu_ms, 2)}


def list_load(design: Design, args: argparse.Namespace) -> dict:
    rows = len(rows_of(requests.get(design.list_url, headers=design.headers, timeout=60)))
    result = measured_load(
        design.server,
        lambda s, n: s.get(design.list_url, headers=design.headers, timeout=60),
        clients=2,
        # Reads of 100 rows and more: enough of them for about a second of load.
        requests_per_client=max(10, args.requests * 2 * 100 // rows),
        label=f"list, {design.name}",
    )
    return {
        **result,
        "rows_per_request": rows,
        "rows_per_second": round(result["requests_per_second"] * rows, 1),
        "server_cpu_us_per_row": round(result["server_cpu_ms_per_request"] * 1000 / rows, 1),
    }


def rows_of(response: requests.Response) -> list:
    response.raise_for_status()
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def scenario_list(
    api: Api,
    token: str,
    env: dict[str, str],
    designs: tuple[Design, Design],
    args: argparse.Namespace,
) -> dict:
    log("Scenario 1: list, beside the reference design")
    ours, reference = designs
    results = {}
    url = f"{api.base}/api/resumes/?page_size=20"
    load = measure.run_load(
        lambda s, n: s.get(url, headers=auth(token)),
        clients=2,
        requests_per_client=args.requests // 2,
        label="page_size=20",
    )
    results["page_size_20"] = {
        **load.as_dict(),
        "rows_per_second": round(load.requests_per_second * 20, 1),
    }
    results["page_size_100"] = list_load(ours, args)
    results["reference_design"] = list_load(reference, args)
    results["rows_per_second_ratio_vs_reference"] = round(
        results["page_size_100"]["rows_per_second"]
        / results["reference_design"]["rows_per_second"],
        2,
    )
    results.update(inprocess(env, "list", "bench"))
    return results


def scenario_detail(designs: tuple[Design, Design], args: argparse.Namespace) -> dict:
    log("Scenario 2: detail, beside the reference design")
    results = {}
    for key, design in zip(("resume_api", "reference_design"), designs, strict=True):
        rng = random.Random(2)
        results[key] = measured_load(
            design.server,
            lambda s, n, d=design, r=rng: s.get(d.detail_url(r.choice(d.ids)), headers=d.headers),
            clients=2,
            requests_per_client=args.requests * 8,
            label=f"detail, {design.name}",
        )
    results["requests_per_second_ratio_vs_reference"] = round(
        results["resume_api"]["requests_per_second"]
        / results["reference_design"]["requests_per_second"],
        2,
    )
    return results


def scenario_create(
    designs: tuple[Design, Design], env: dict[str, str], workdir: Path, args: argparse.Namespace
) -> dict:
    log("Scenario 3: create with a 200 KB JPEG (multipart), beside the reference design")
    jpeg = photo_jpeg(200_000, seed=3)
    path = workdir / "create.jpg"
    path.write_bytes(jpeg)
    results = {}
    for key, design in zip(("resume_api", "reference_design"), designs, strict=True):
        results[key] = measured_load(
            design.server,
            lambda s, n, d=design: d.create(s, f"Created {n}", jpeg),
            clients=1,
            requests_per_client=args.requests * 2,
            label=f"create, {design.name}",
        )
    image_work = inprocess(env, "image-work", str(path), "10")
    ours = results["resume_api"]["server_cpu_ms_per_request"]
    reference = results["reference_design"]["server_cpu_ms_per_request"]
    return {
        **results,
        "upload_bytes": len(jpeg),
        "server_cpu_ms_per_request": ours,
        "image_work_alone_cpu_ms": round(image_work["cpu_ms"], 2),
        "cpu_ratio_vs_image_work": round(ours / image_work["cpu_ms"], 2),
        # What the straightforward design spends, plus the sanitizing it does not do.
        "cpu_ratio_vs_reference_plus_image_work": round(
            ours / (reference + image_work["cpu_ms"]), 2
        ),
    }


def upload_once(design: Design, jpeg: bytes) -> float:
    start = time.perf_counter()
    design.create(requests.Session(), "Large", jpeg).raise_for_status()
    return time.perf_counter() - start


def upload_wall_and_growth(
    design: Design, jpeg: bytes, repeat: int = LARGE_UPLOAD_REPEATS
) -> tuple[float, float]:
    """Median wall time (s) and median peak RSS growth (KiB) of a worker over `repeat` uploads."""
    workers = design.server.worker_pids()
    for _ in range(len(workers)):
        upload_once(design, jpeg)  # every worker has handled one before its memory is read
    walls, growths = [], []
    for _ in range(repeat):
        rss_before = {pid: measure.memory_kib(pid, "VmRSS") for pid in workers}
        for pid in workers:
            measure.reset_peak_memory(pid)
        walls.append(upload_once(design, jpeg))
        growths.append(max(measure.memory_kib(pid, "VmHWM") - rss_before[pid] for pid in workers))
    return statistics.median(walls), statistics.median(growths)


def scenario_large_upload(
    designs: tuple[Design, Design],
    env: dict[str, str],
    s3: LocalS3,
    workdir: Path,
    args: argparse.Namespace,
) -> dict:
    log("Scenario 4: large upload (5 MiB JPEG), beside the reference design")
    ours, reference_design = designs
    jpeg = photo_jpeg(int(4.9 * 1024 * 1024), seed=4)
    path = workdir / "large.jpg"
    path.write_bytes(jpeg)
    image_work = inprocess(env, "image-work", str(path), str(LARGE_UPLOAD_REPEATS))
    api_wall, api_growth = upload_wall_and_growth(ours, jpeg)
    reference_wall, reference_growth = upload_wall_and_growth(reference_design, jpeg)

    client = s3.client()
    stored_bytes = b"\0" * image_work["stored_bytes"]
    put_times = []
    for n in range(LARGE_UPLOAD_REPEATS):
        start = time.perf_counter()
        client.put_object(Bucket=BUCKET, Key=f"bench/put-{n}", Body=stored_bytes)
        put_times.append(time.perf_counter() - start)

    log(f"  leak check: {args.leak_uploads} uploads")
    workers = ours.server.worker_pids()
    # Each worker's RSS after every upload. A worker gives memory back only once it has
    # grown by config.allocator.TRIM_AFTER_GROWTH_BYTES, so one reading lands anywhere on a
    # saw-tooth that high; a leak raises its floor. So the growth compares the lowest
    # readings of a window at the start (after 5 uploads of warm-up) and at the end.
    readings: list[dict[int, int]] = []
    errors = 0
    for n in range(args.leak_uploads):
        try:
            upload_once(ours, jpeg)
        except requests.RequestException:
            errors += 1
        readings.append({pid: measure.memory_kib(pid, "VmRSS") for pid in workers})
        if n % 10 == 9:
            resident = ", ".join(f"{readings[-1][pid] // 1024}" for pid in workers)
            log(f"  … {n + 1} uploads; workers' RSS (MiB): {resident}")
    window = max(1, min(LEAK_WINDOW_UPLOADS, (len(readings) - LEAK_WARM_UP_UPLOADS) // 2))
    start = readings[LEAK_WARM_UP_UPLOADS : LEAK_WARM_UP_UPLOADS + window] or readings
    end = readings[-window:]
    rss_start = sum(min(r[pid] for r in start) for pid in workers)
    rss_end = sum(min(r[pid] for r in end) for pid in workers)

    put_wall = statistics.median(put_times)
    limit = put_wall + image_work["wall_ms"] / 1000
    decoded = image_work["decoded_bytes"]
    return {
        "upload_bytes": len(jpeg),
        "api_wall_ms": round(api_wall * 1000, 1),
        "reference_wall_ms": round(reference_wall * 1000, 1),
        "boto3_put_ms": round(put_wall * 1000, 1),
        "image_work_alone_ms": round(image_work["wall_ms"], 1),
        "wall_ratio_vs_put_plus_image_work": round(api_wall / limit, 2),
        "reference_wall_ratio_vs_put_plus_image_work": round(reference_wall / limit, 2),
        "decoded_image_mib": round(decoded / 2**20, 1),
        "peak_rss_growth_mib": round(api_growth / 1024, 1),
        "reference_peak_rss_growth_mib": round(reference_growth / 1024, 1),
        "rss_growth_ratio_vs_decoded": round(api_growth * 1024 / decoded, 2),
        "reference_rss_growth_ratio_vs_decoded": round(reference_growth * 1024 / decoded, 2),
        "leak_check_uploads": args.leak_uploads,
        "leak_check_rss_growth_mib": round((rss_end - rss_start) / 1024, 1),
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

    # Threads: the clients draw from one random sequence (processes would each repeat it).
    load = measure.run_load(
        send, clients=args.clients, duration=args.duration, label="mixed", processes=False
    )
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
        "--reference-design",
        type=Path,
        default=reference_design_folder(),
        help="the straightforward design measured beside the API (default: "
        f"${REFERENCE_DESIGN_VARIABLE}, else ../shared/reference-design from the project)",
    )
    parser.add_argument(
        "--only",
        type=lambda value: set(value.split(",")),
        default=set(SCENARIOS),
        help=f"comma list of scenarios to run (default all: {','.join(SCENARIOS)}); a partial "
        "run prints its figures but writes no results",
    )
    args = parser.parse_args()
    if not (args.reference_design / "manage.py").is_file():
        log(
            f"The reference design is not at {args.reference_design}: the benchmark measures "
            "the API beside it, in the same run. Point --reference-design or "
            f"{REFERENCE_DESIGN_VARIABLE} at the shared reference-design folder."
        )
        return 2

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="resume-api-bench-") as tmp, moto_server() as s3:
        workdir = Path(tmp)
        env = api_environment(s3, workdir)
        env["JWT_ACCESS_TOKEN_MINUTES"] = "120"
        log("Migrating the benchmark database …")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")  # gunicorn refuses to start without them
        log(f"Starting the reference design from {args.reference_design} …")
        with (
            api_server(env, workdir) as server,
            reference_server(args.reference_design, s3, workdir) as reference,
        ):
            api = Api(server)
            token = api.login("bench")
            designs = (resume_api_design(api, token), reference_design(reference))
            for design in designs:
                seed(design, args.resumes)
            ids = designs[0].ids
            runners = {
                "list": lambda: scenario_list(api, token, env, designs, args),
                "detail": lambda: scenario_detail(designs, args),
                "create_200kb": lambda: scenario_create(designs, env, workdir, args),
                "large_upload_5mib": lambda: scenario_large_upload(designs, env, s3, workdir, args),
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
        log(report.side_by_side(results))
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
