import hashlib
from importlib.metadata import version

import orjson
from django.db.models import F, FilteredRelation, Q

from api.queries import PreparedQuery
from pdfs.models import ResumePDF
from presentation.themes import design_digest
from resumes.models import Resume
from resumes.selectors import owned_resumes

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
    fingerprint = fingerprint or pdf_fingerprint(resume, theme)
    return _current_pdf.first(
        resume_id=resume.pk,
        theme=theme,
        fingerprint=fingerprint,
    )


def pdf_read_with(resume: Resume, theme: str, fingerprint: str) -> ResumePDF | None:
    """pdf_ready, from the PDF row read with a résumé by RESUME_WITH_ITS_PDF when it is the
    one of `theme` (a download's common case: one query instead of two); else pdf_ready."""
    if not hasattr(resume, "theme_pdf_fingerprint") or theme != resume.theme:
        return pdf_ready(resume=resume, theme=theme, fingerprint=fingerprint)
    if resume.theme_pdf_fingerprint != fingerprint:
        return None  # none stored, or a stale one
    return ResumePDF.from_db(
        resume._state.db,
        ["id", "resume_id", "theme", "fingerprint", "file"],
        [resume.theme_pdf_id, resume.pk, theme, fingerprint, resume.theme_pdf_file],
    )


# The owner's résumé as resume_find reads it, with the PDF stored for its own theme (a LEFT
# JOIN: its columns are None when there is none).
RESUME_WITH_ITS_PDF = PreparedQuery(
    lambda owner_id, resume_id: (
        owned_resumes(owner_id, resume_id)
        .alias(theme_pdf=FilteredRelation("pdfs", condition=Q(pdfs__theme=F("theme"))))
        .annotate(
            theme_pdf_id=F("theme_pdf__id"),
            theme_pdf_file=F("theme_pdf__file"),
            theme_pdf_fingerprint=F("theme_pdf__fingerprint"),
        )
    ),
    "owner_id",
    "resume_id",
)


# A PDF is one row per résumé and theme; read by renders, by downloads in another theme than
# the résumé's and by public downloads.
_current_pdf = PreparedQuery(
    lambda resume_id, theme, fingerprint: ResumePDF.objects.filter(
        resume_id=resume_id, theme=theme, fingerprint=fingerprint
    ),
    "resume_id",
    texts=("theme", "fingerprint"),
)
