"""Targets, and the JSON, Markdown and PNG forms of a benchmark run."""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: render straight to PNG
import matplotlib.pyplot as plt


def _target(name: str, value: float, limit: float, met: bool, unit: str = "") -> dict:
    return {"target": name, "value": value, "limit": limit, "unit": unit, "met": bool(met)}


def _scenarios(s: dict) -> tuple[dict, dict, dict, dict]:
    """The list, 200 KB create, 5 MiB upload and slow-client scenarios of a summary."""
    return s["list"], s["create_200kb"], s["large_upload_5mib"], s["slow_client"]


# The issue-16 targets against the straightforward design (the shared reference design).
LIST_ROWS_RATIO = 3.0
LIST_CPU_US_PER_ROW = 40.0
DETAIL_RPS_RATIO = 1.3
CREATE_CPU_RATIO = 1.0
LARGE_WALL_RATIO = 1.3
LARGE_GROWTH_RATIO = 1.5


def check_targets(s: dict) -> list[dict]:
    listing, create, large, slow = _scenarios(s)
    detail = s["detail"]
    queries = listing["queries_per_request"]
    direct_spread = abs(
        slow["direct_upload_worker_busy_s"] - slow["direct_upload_worker_busy_s_at_8x_rate"]
    ) / max(slow["direct_upload_worker_busy_s_at_8x_rate"], 1e-9)
    errors = sum(scenario.get("errors", 0) for scenario in s.values() if isinstance(scenario, dict))
    errors += sum(
        listing[k]["errors"] for k in ("page_size_20", "page_size_100", "reference_design")
    )
    errors += sum(
        row[k]["errors"] for row in (detail, create) for k in ("resume_api", "reference_design")
    )
    list_cpu = listing["page_size_100"]["server_cpu_us_per_row"]
    return [
        _target(
            "list: SQL queries per request, same at page sizes 5/20/100",
            max(queries.values()),
            min(queries.values()),
            len(set(queries.values())) == 1,
            "queries",
        ),
        _target(
            "list: rows/s at page 100 vs the reference design (all its rows)",
            listing["rows_per_second_ratio_vs_reference"],
            LIST_ROWS_RATIO,
            listing["rows_per_second_ratio_vs_reference"] >= LIST_ROWS_RATIO,
            "× (≥)",
        ),
        _target(
            "list: server CPU per row at page 100",
            list_cpu,
            LIST_CPU_US_PER_ROW,
            list_cpu <= LIST_CPU_US_PER_ROW,
            "µs (≤)",
        ),
        _target(
            "detail: requests/s vs the reference design",
            detail["requests_per_second_ratio_vs_reference"],
            DETAIL_RPS_RATIO,
            detail["requests_per_second_ratio_vs_reference"] >= DETAIL_RPS_RATIO,
            "× (≥)",
        ),
        _target(
            "create 200 KB: server CPU vs the reference design's + the image work alone",
            create["cpu_ratio_vs_reference_plus_image_work"],
            CREATE_CPU_RATIO,
            create["cpu_ratio_vs_reference_plus_image_work"] <= CREATE_CPU_RATIO,
            "× (≤)",
        ),
        _target(
            "large 5 MiB: API wall vs put_object + image work",
            large["wall_ratio_vs_put_plus_image_work"],
            LARGE_WALL_RATIO,
            large["wall_ratio_vs_put_plus_image_work"] <= LARGE_WALL_RATIO,
            "× (≤)",
        ),
        _target(
            "large 5 MiB: peak RSS growth vs decoded image",
            large["rss_growth_ratio_vs_decoded"],
            LARGE_GROWTH_RATIO,
            large["rss_growth_ratio_vs_decoded"] <= LARGE_GROWTH_RATIO,
            "× (≤)",
        ),
        _target(
            f"large 5 MiB: RSS growth across {large['leak_check_uploads']} uploads",
            large["leak_check_rss_growth_mib"],
            10.0,
            large["leak_check_rss_growth_mib"] <= 10.0,
            "MiB (≤)",
        ),
        _target(
            "direct upload: worker busy vs image work + claim S3 round trips",
            slow["direct_busy_ratio_vs_reference"],
            1.3,
            slow["direct_busy_ratio_vs_reference"] <= 1.3,
            "× (≤)",
        ),
        _target(
            "direct upload: busy time independent of client speed (1× vs 8× rate)",
            round(direct_spread, 2),
            0.25,
            direct_spread <= 0.25,
            "relative spread (≤)",
        ),
        *presentation_targets(s["presentation"]),
        _target("errors in every scenario", errors, 0, errors == 0, "errors"),
    ]


def side_by_side(results: dict) -> str:
    """The issue's table: each scenario for the reference design and resume-api, the ratio
    and the target, for the scenarios this run measured."""
    s = results["scenarios"]
    lines = [
        "| scenario | reference design | resume-api | ratio | target |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    if "list" in s:
        ours, ref = s["list"]["page_size_100"], s["list"]["reference_design"]
        lines += [
            f"| list, rows/s (reference: all {ref['rows_per_request']} rows; resume-api: a page "
            f"of {ours['rows_per_request']}) | {ref['rows_per_second']:,.0f} | "
            f"{ours['rows_per_second']:,.0f} | "
            f"{s['list']['rows_per_second_ratio_vs_reference']:.2f}× | ≥ {LIST_ROWS_RATIO}× |",
            f"| list, server CPU per row (µs) | {ref['server_cpu_us_per_row']} | "
            f"{ours['server_cpu_us_per_row']} | — | ≤ {LIST_CPU_US_PER_ROW:.0f} µs |",
        ]
    if "detail" in s:
        detail = s["detail"]
        ours, ref = detail["resume_api"], detail["reference_design"]
        lines += [
            f"| detail, requests/s (server CPU ms per request) | "
            f"{ref['requests_per_second']:.0f} ({ref['server_cpu_ms_per_request']}) | "
            f"{ours['requests_per_second']:.0f} ({ours['server_cpu_ms_per_request']}) | "
            f"{detail['requests_per_second_ratio_vs_reference']:.2f}× | ≥ {DETAIL_RPS_RATIO}× |"
        ]
    if "create_200kb" in s:
        create = s["create_200kb"]
        lines += [
            f"| create with a 200 KB JPEG, server CPU ms per request (image work alone: "
            f"{create['image_work_alone_cpu_ms']} ms) | "
            f"{create['reference_design']['server_cpu_ms_per_request']} (no image work) | "
            f"{create['resume_api']['server_cpu_ms_per_request']} | "
            f"{create['cpu_ratio_vs_reference_plus_image_work']:.2f}× of (reference + image "
            f"work) | ≤ {CREATE_CPU_RATIO}× |"
        ]
    if "large_upload_5mib" in s:
        large = s["large_upload_5mib"]
        lines += [
            f"| 5 MiB upload, wall time vs put_object + image work ({large['boto3_put_ms']} + "
            f"{large['image_work_alone_ms']} ms) | "
            f"{large['reference_wall_ratio_vs_put_plus_image_work']:.2f} "
            f"({large['reference_wall_ms']} ms, no image work) | "
            f"{large['wall_ratio_vs_put_plus_image_work']:.2f} ({large['api_wall_ms']} ms) | — | "
            f"≤ {LARGE_WALL_RATIO} |",
            f"| 5 MiB upload, peak memory growth vs the decoded image "
            f"({large['decoded_image_mib']} MiB) | "
            f"{large['reference_rss_growth_ratio_vs_decoded']:.2f} "
            f"({large['reference_peak_rss_growth_mib']} MiB) | "
            f"{large['rss_growth_ratio_vs_decoded']:.2f} ({large['peak_rss_growth_mib']} MiB) | "
            f"— | ≤ {LARGE_GROWTH_RATIO} |",
        ]
    return "\n".join(lines) + "\n"


def presentation_targets(presentation: dict) -> list[dict]:
    rendering = presentation["rendering"]
    two, six = rendering["cpu_2_pages"]["median_ms"], rendering["cpu_6_pages"]["median_ms"]
    memory = rendering["memory"]
    renders = max(int(n) for n in memory["rss_kib"])
    return [
        _target(
            "public page: requests/s vs detail",
            presentation["page_rps_ratio_vs_detail"],
            0.8,
            presentation["page_rps_ratio_vs_detail"] >= 0.8,
            "× (≥)",
        ),
        _target(
            "cached PDF download: server CPU vs detail read",
            presentation["pdf_download_cpu_ratio_vs_detail"],
            1.0,
            presentation["pdf_download_cpu_ratio_vs_detail"] <= 1.0,
            "× (≤)",
        ),
        _target("PDF, 2 pages: worker CPU (median)", round(two), 300, two <= 300, "ms (≤)"),
        _target("PDF, 6 pages: worker CPU (median)", round(six), 1000, six <= 1000, "ms (≤)"),
        _target(
            f"PDF: RSS after {renders} renders vs after 50",
            round(memory["growth_after_50"] * 100, 1),
            20,
            abs(memory["growth_after_50"]) <= 0.2,
            "% (≤)",
        ),
    ]


def _latency_rows(s: dict) -> list[tuple[str, dict]]:
    listing = s["list"]
    return [
        ("list, page_size=20", listing["page_size_20"]),
        ("list, page_size=100", listing["page_size_100"]),
        ("reference design: list (all rows)", listing["reference_design"]),
        ("detail", s["detail"]["resume_api"]),
        ("reference design: detail", s["detail"]["reference_design"]),
        ("create 200 KB", s["create_200kb"]["resume_api"]),
        ("reference design: create 200 KB", s["create_200kb"]["reference_design"]),
        (f"mixed, {s['concurrency']['clients']} clients", s["concurrency"]),
        ("public page", s["presentation"]["public_page"]),
        ("PDF download (cached, owner)", s["presentation"]["pdf_download"]),
        ("PDF download (cached, public)", s["presentation"]["public_pdf_download"]),
    ]


def markdown(results: dict) -> str:
    s = results["scenarios"]
    lines = [
        f"Benchmark run {results['generated_at']} — {results['machine']['cpus']} CPUs, "
        f"Python {results['machine']['python']}, {results['machine']['database']}, "
        f"{results['seconds']} s",
        "",
        "| Scenario | Requests | Errors | Median ms | p95 ms | Requests/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in _latency_rows(s):
        lines.append(
            f"| {name} | {row['requests']} | {row['errors']} | {row['median_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['requests_per_second']:.1f} |"
        )
    listing, create, large, slow = _scenarios(s)
    shown = s["presentation"]
    urls = listing["url_ms_per_page_of_100"]
    lines += [
        "",
        side_by_side(results),
        "| Measure | Value |",
        "| --- | ---: |",
        f"| list SQL queries per request (page 5/20/100) | "
        f"{' / '.join(str(v) for v in listing['queries_per_request'].values())} |",
        f"| image URLs for a page of 100 (ms): presign each / first request / steady | "
        f"{urls['presign_every_time']:.1f} / {urls['reuse_first_request']:.1f} / "
        f"{urls['reuse_steady_state']:.2f} |",
        f"| create 200 KB: server CPU / image work alone (ms) | "
        f"{create['server_cpu_ms_per_request']} / {create['image_work_alone_cpu_ms']} |",
        f"| 5 MiB upload: API wall / put_object / image work (ms) | {large['api_wall_ms']} / "
        f"{large['boto3_put_ms']} / {large['image_work_alone_ms']} |",
        f"| 5 MiB upload: peak RSS growth / decoded image (MiB) | {large['peak_rss_growth_mib']} / "
        f"{large['decoded_image_mib']} |",
        f"| RSS growth over {large['leak_check_uploads']} uploads (MiB) | "
        f"{large['leak_check_rss_growth_mib']} |",
        f"| slow client at {slow['client_rate_bytes_per_second'] // 1000} KB/s: worker busy, "
        f"through the API / direct (s) | {slow['proxied_upload_worker_busy_s']} / "
        f"{slow['direct_upload_worker_busy_s']} |",
        "| direct upload busy at 8× the rate (s) | "
        f"{slow['direct_upload_worker_busy_s_at_8x_rate']} |",
        f"| server CPU per request (ms): detail / public page / cached PDF download | "
        f"{shown['detail']['server_cpu_ms_per_request']} / "
        f"{shown['public_page']['server_cpu_ms_per_request']} / "
        f"{shown['pdf_download']['server_cpu_ms_per_request']} |",
        f"| PDF worker CPU, median (ms): 2 pages / 6 pages | "
        f"{shown['rendering']['cpu_2_pages']['median_ms']:.0f} / "
        f"{shown['rendering']['cpu_6_pages']['median_ms']:.0f} |",
        "",
        "| Target | Value | Limit | Met |",
        "| --- | ---: | ---: | :---: |",
    ]
    for target in results["targets"]:
        lines.append(
            f"| {target['target']} | {target['value']} | {target['limit']} {target['unit']} | "
            f"{'yes' if target['met'] else '**no**'} |"
        )
    return "\n".join(lines) + "\n"


def chart(results: dict, path: Path) -> None:
    rows = _latency_rows(results["scenarios"])
    names = [name for name, _ in rows]
    figure, (latency, targets) = plt.subplots(1, 2, figsize=(13, 4.8))
    positions = range(len(rows))
    latency.barh(
        [p + 0.2 for p in positions], [r["median_ms"] for _, r in rows], 0.4, label="median"
    )
    latency.barh([p - 0.2 for p in positions], [r["p95_ms"] for _, r in rows], 0.4, label="p95")
    latency.set_yticks(list(positions), names)
    latency.set_xlabel("ms")
    latency.set_xscale("log")
    latency.set_title("Latency")
    latency.legend()
    ratio_targets = [t for t in results["targets"] if "×" in t["unit"]]
    scores = []
    for target in ratio_targets:
        # Share of the limit used: below 1 is inside the target whichever way it points.
        value, limit = target["value"], target["limit"]
        scores.append(limit / value if "≥" in target["unit"] else value / limit)
    colors = ["tab:green" if t["met"] else "tab:red" for t in ratio_targets]
    targets.barh(range(len(ratio_targets)), scores, color=colors)
    targets.axvline(1.0, color="black", linewidth=1)
    targets.set_yticks(range(len(ratio_targets)), [t["target"] for t in ratio_targets], fontsize=7)
    targets.set_xlabel("share of the target's limit (≤ 1 is met)")
    targets.set_title("Targets")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(results: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (folder / "latest.md").write_text(markdown(results))
    chart(results, folder / "latest.png")
