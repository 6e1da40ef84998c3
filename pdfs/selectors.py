import hashlib
from importlib.metadata import version

import orjson

from api.queries import PreparedQuery
from pdfs.models import ResumePDF
from presentation.themes import design_digest
from resumes.models import Resume

# Raise when the rendering changes what a PDF shows without a change to the files below
# (pdfs/rendering.py, presentation/documents.py): every stored PDF is then rendered again.
RENDERER_VERSION = "1"
# Not weasyprint.__version__: web processes do not load WeasyPrint (see pdfs/services.py).
WEASYPRINT_VERSION = version("weasyprint")


def pdf_fingerprint(resume: Resume, theme: str) -> str:
    """sha256 of what the résumé's PDF in `theme` shows: its text, its photo (keys are never
    reused, so the name stands for the bytes), the theme and the renderer."""
    state = {
        "title": resume.title,
        "summary": resume.summary,
        "content": resume.content,
        "photo": resume.image_thumbnail.name or "",
        "theme": theme,
        "design": design_digest(theme),
        "renderer": [RENDERER_VERSION, WEASYPRINT_VERSION],
    }
    return hashlib.sha256(orjson.dumps(state, option=orjson.OPT_SORT_KEYS)).hexdigest()


def pdf_ready(*, resume: Resume, theme: str, fingerprint: str | None = None) -> ResumePDF | None:
    """The stored PDF of the résumé in `theme` as it is now, or None (none yet, or stale).
    `fingerprint`: the state's, when the caller has computed it already."""
    return _current_pdf.first(
        resume_id=resume.pk,
        theme=theme,
        fingerprint=fingerprint or pdf_fingerprint(resume, theme),
    )


# Every download reads it (a PDF is one row per résumé and theme).
_current_pdf = PreparedQuery(
    lambda resume_id, theme, fingerprint: ResumePDF.objects.filter(
        resume_id=resume_id, theme=theme, fingerprint=fingerprint
    ),
    "resume_id",
    texts=("theme", "fingerprint"),
)
