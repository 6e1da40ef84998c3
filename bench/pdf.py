"""PDF rendering measured inside one process (`python -m bench.inprocess pdf THEME`): worker
CPU per render of a 2-page and a 6-page résumé, memory over many renders, and what a
document at the content bounds (resumes/json_resume_schema.py) costs.

Targets (issue 13): median CPU ≤ 300 ms (2 pages) and ≤ 1 s (6 pages); RSS after 500
renders within 20 % of RSS after 50.
"""

import contextlib
import json
import statistics
import time
from pathlib import Path
from typing import Any

import orjson

# A real résumé filling every section (tests/presentation/documents/README.md says whose).
COMPLETE_RESUME = (
    Path(__file__).resolve().parents[1] / "tests/presentation/documents/complete-resume.json"
)


def _render(content: dict[str, Any], theme: str) -> Any:
    from pdfs.rendering import render_pdf
    from presentation.documents import render_resume_html
    from resumes.models import Resume

    resume = Resume(title="Benchmark résumé", content=content)
    return render_pdf(render_resume_html(resume, theme=theme, photo_src=None, for_print=True))


def content_of_pages(theme: str, pages: int) -> dict[str, Any]:
    """The corpus résumé's basics, then its entries of every section one by one (again and
    again if need be), up to the first document that renders to `pages` pages."""
    base = json.loads(COMPLETE_RESUME.read_text())
    entries = [
        (section, entry)
        for section, items in base.items()
        if isinstance(items, list)
        for entry in items
    ]
    content: dict[str, Any] = {"basics": base.get("basics", {})}
    for added in range(500):
        section, entry = entries[added % len(entries)]
        content.setdefault(section, []).append(entry)
        rendered = _render(content, theme).pages
        if rendered == pages:
            return content
        if rendered > pages:
            break
    raise ValueError(f"no prefix of the document renders to exactly {pages} pages in {theme}")


def cpu_per_render(content: dict[str, Any], theme: str, repeat: int = 20) -> dict[str, float]:
    _render(content, theme)  # warm-up: imports, fontconfig, font metrics
    cpu = []
    for _ in range(repeat):
        start = time.process_time()
        _render(content, theme)
        cpu.append(time.process_time() - start)
    return {
        "median_ms": statistics.median(cpu) * 1000,
        "min_ms": min(cpu) * 1000,
        "max_ms": max(cpu) * 1000,
    }


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def memory_over_renders(content: dict[str, Any], theme: str, renders: int = 500) -> dict[str, Any]:
    """RSS (KiB) after 50 renders and after `renders`, in this process."""
    readings = {}
    for number in range(1, renders + 1):
        _render(content, theme)
        if number in (1, 50, 100, 200, 300, 400, renders):
            readings[number] = _rss_kib()
    return {"rss_kib": readings, "growth_after_50": readings[renders] / readings[50] - 1}


def bounded_documents() -> dict[str, dict[str, Any]]:
    """Documents at the content bounds (256 KiB, 10 000 values, 100 entries a section, 50
    strings a list, 5 000 characters a text): long paragraphs, many short list items, and
    long Chinese paragraphs (3 bytes a character, but one glyph each)."""
    from resumes.json_resume_schema import (
        MAX_DOCUMENT_BYTES,
        MAX_ITEMS,
        MAX_LONG_TEXT,
        MAX_STRINGS,
        MAX_VALUES,
    )

    def filled(make_entry: Any) -> dict[str, Any]:
        work: list[dict[str, Any]] = []
        while len(work) < MAX_ITEMS:
            candidate = {"basics": {"name": "Bound"}, "work": [*work, make_entry(len(work))]}
            if len(orjson.dumps(candidate)) > MAX_DOCUMENT_BYTES:
                break
            work = candidate["work"]
        return {"basics": {"name": "Bound"}, "work": work}

    sentence = "Designed, built and ran a distributed system for many users. "
    paragraphs = filled(
        lambda n: {"name": f"Company {n}", "summary": (sentence * 100)[:MAX_LONG_TEXT]}
    )
    per_entry = min(MAX_STRINGS, MAX_VALUES // MAX_ITEMS - 4)
    items = filled(
        lambda n: {
            "name": f"Company {n}",
            "highlights": [f"Item {n}.{i}: shipped it" for i in range(per_entry)],
        }
    )
    han = "设计并运行了一个面向众多用户的分布式系统。"
    chinese = filled(lambda n: {"name": f"公司 {n}", "summary": (han * 300)[:MAX_LONG_TEXT]})
    return {"long_paragraphs": paragraphs, "many_list_items": items, "long_chinese": chinese}


def worst_case(theme: str) -> dict[str, Any]:
    """For each bounded document: its pages and the CPU of laying it all out (what a render
    would cost without the page limit), and the CPU of the render PDF_MAX_PAGES refuses."""
    from django.conf import settings
    from django.test import override_settings

    from pdfs.errors import PDFTooLong
    from resumes.json_resume import JSONResumeSerializer

    results = {}
    for name, content in bounded_documents().items():
        serializer = JSONResumeSerializer(data=content)
        assert serializer.is_valid(), (name, serializer.errors)
        start = time.process_time()
        with override_settings(PDF_MAX_PAGES=10_000):
            pages = _render(content, theme).pages
        whole = time.process_time() - start
        start = time.process_time()
        with contextlib.suppress(PDFTooLong):
            _render(content, theme)
        results[name] = {
            "json_bytes": len(orjson.dumps(content)),
            "pages": pages,
            "cpu_s_whole_layout_and_pdf": whole,
            f"cpu_s_refused_at_{settings.PDF_MAX_PAGES}_pages": time.process_time() - start,
        }
    return results


def measure(theme: str, renders: int = 500) -> dict[str, Any]:
    two, six = content_of_pages(theme, 2), content_of_pages(theme, 6)
    return {
        "theme": theme,
        "cpu_2_pages": cpu_per_render(two, theme),
        "cpu_6_pages": cpu_per_render(six, theme),
        "memory": memory_over_renders(two, theme, renders),
        "worst_case": worst_case(theme),
    }
