import functools
import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import presentation
from pdfs.models import ResumePDF
from resumes.models import Resume

# Raise when the rendering changes what a PDF shows without a change to the files below
# (pdfs/rendering.py, presentation/documents.py): every stored PDF is then rendered again.
RENDERER_VERSION = "1"
PRESENTATION = Path(presentation.__file__).parent
# Not weasyprint.__version__: web processes do not load WeasyPrint (see pdfs/services.py).
WEASYPRINT_VERSION = version("weasyprint")


@functools.cache
def _design_digest(theme: str) -> str:
    """sha256 of the files a PDF's look comes from: the theme's folder and the shared
    templates (print.css among them). Read once per process: they change with a deployment."""
    digest = hashlib.sha256()
    for folder in (PRESENTATION / "themes" / theme, PRESENTATION / "templates" / "presentation"):
        for path in sorted(path for path in folder.rglob("*") if path.is_file()):
            digest.update(f"{path.relative_to(PRESENTATION)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def pdf_fingerprint(resume: Resume, theme: str) -> str:
    """sha256 of what the résumé's PDF in `theme` shows: its text, its photo (keys are never
    reused, so the name stands for the bytes), the theme and the renderer."""
    state = {
        "title": resume.title,
        "summary": resume.summary,
        "content": resume.content,
        "photo": resume.image_thumbnail.name or "",
        "theme": theme,
        "design": _design_digest(theme),
        "renderer": [RENDERER_VERSION, WEASYPRINT_VERSION],
    }
    encoded = json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def pdf_ready(*, resume: Resume, theme: str) -> ResumePDF | None:
    """The stored PDF of the résumé in `theme` as it is now, or None (none yet, or stale)."""
    return ResumePDF.objects.filter(
        resume=resume, theme=theme, fingerprint=pdf_fingerprint(resume, theme)
    ).first()
