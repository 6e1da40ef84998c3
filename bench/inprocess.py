"""Measurements taken inside one Django process, with the benchmark's environment.

Run by the harness as `python -m bench.inprocess COMMAND ...`; prints one JSON object.
- `image-work FILE REPEAT`: the sanitizing and thumbnail code alone on FILE's bytes.
- `list USERNAME`: SQL queries per list request at each page size, and time spent on URLs.
- `pdf THEME [RENDERS]`: PDF rendering's CPU per render, memory over RENDERS renders (500)
  and the cost of documents at the content bounds (bench/pdf.py).
"""

import io
import json
import statistics
import sys
import time
from pathlib import Path

import django


def image_work(path: str, repeat: str) -> dict:
    from PIL import Image

    from images.processing import sanitize_image

    data = Path(path).read_bytes()
    sanitize_image(data)  # warm-up: imports, codec initialisation
    cpu, wall = [], []
    for _ in range(int(repeat)):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        result = sanitize_image(data)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    # The source's full decoded size: the stored image may be smaller (IMAGE_STORED_SIZE).
    with Image.open(io.BytesIO(data)) as source:
        decoded_bytes = source.width * source.height * len(source.getbands())
    return {
        "cpu_ms": statistics.median(cpu) * 1000,
        "wall_ms": statistics.median(wall) * 1000,
        "width": result.width,
        "height": result.height,
        "decoded_bytes": decoded_bytes,
        "input_bytes": len(data),
        "stored_bytes": len(result.data) + len(result.thumbnail),
    }


def list_measurements(username: str) -> dict:
    from django.core.files.storage import storages
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework_simplejwt.tokens import AccessToken

    from resumes.models import Resume
    from storage import links
    from users.models import User

    user = User.objects.get(username=username)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    queries = {}
    for page_size in (5, 20, 100):
        client.get(f"/api/resumes/?page_size={page_size}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/resumes/?page_size={page_size}")
        assert response.status_code == 200, response.content
        queries[page_size] = len(captured.captured_queries)

    storage = storages["default"]
    names = [
        name
        for pair in Resume.objects.filter(owner=user)[:100].values_list("image", "image_thumbnail")
        for name in pair
    ]

    def per_page(build_url) -> float:  # noqa: ANN001
        start = time.perf_counter()
        for name in names:
            build_url(storage, name)
        return (time.perf_counter() - start) * 1000

    presign_every_time = statistics.median(per_page(lambda s, n: s.url(n)) for _ in range(5))
    links._caches.clear()
    reuse_cold = per_page(links.stored_url)
    reuse_warm = statistics.median(per_page(links.stored_url) for _ in range(5))
    return {
        "queries_per_request": queries,
        "urls_per_page_of_100": len(names),
        "url_ms_per_page_of_100": {
            "presign_every_time": presign_every_time,
            "reuse_first_request": reuse_cold,
            "reuse_steady_state": reuse_warm,
        },
    }


def pdf_measurements(theme: str, renders: str = "500") -> dict:
    from bench import pdf

    return pdf.measure(theme, int(renders))


def main() -> None:
    django.setup()
    command, *args = sys.argv[1:]
    result = {"image-work": image_work, "list": list_measurements, "pdf": pdf_measurements}[
        command
    ](*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
