"""Stored PDFs of résumés: rendered from a résumé's state in a theme, stored once per state
under a key of their own, replaced when the résumé changes, deleted with it.

Writes follow storage/services.py's rule: the new object is written before the row changes
and deleted again if the change fails or is no longer wanted (the résumé changed or went
meanwhile); a replaced object is deleted once the change has committed.
"""

import base64
import logging
import mimetypes
import uuid
from typing import TYPE_CHECKING

from celery.exceptions import Retry
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import transaction

from pdfs import tasks
from pdfs.attachments import RESUME_PDF
from pdfs.errors import PDFTooLong
from pdfs.models import ResumePDF
from pdfs.selectors import pdf_fingerprint, pdf_read_with, pdf_ready
from presentation.documents import render_resume_html
from resumes.models import Resume
from storage.services import delete_after_commit, delete_quietly

if TYPE_CHECKING:
    from pdfs.rendering import RenderedPDF

logger = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"


def _enqueued_key(resume_id: int, theme: str, fingerprint: str) -> str:
    return f"pdfs:enqueued:{resume_id}:{theme}:{fingerprint}"


def _refused_key(resume_id: int, theme: str, fingerprint: str) -> str:
    return f"pdfs:refused:{resume_id}:{theme}:{fingerprint}"


def _photo_src(resume: Resume) -> str | None:
    """The résumé's photo as a `data:` URI (the renderer fetches nothing), or None.

    The thumbnail: its 256 px are about 190 dpi at the 3-4 cm a résumé prints a photo at,
    where the full image (up to 2048 px) would make every PDF megabytes larger and slower."""
    name = resume.image_thumbnail.name
    data = default_storage.read(name, settings.IMAGE_MAX_BYTES) if name else None
    if data is None:
        return None
    content_type, _ = mimetypes.guess_type(name)
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _render(resume: Resume, theme: str, fingerprint: str) -> "RenderedPDF":
    # Imported here: WeasyPrint takes about a second and 45 MiB to load, which web processes
    # that only queue renders (and never render with a broker) need not pay.
    from pdfs.rendering import render_pdf

    html = render_resume_html(resume, theme=theme, photo_src=_photo_src(resume), for_print=True)
    try:
        return render_pdf(html)
    except PDFTooLong as too_long:
        # Downloads of this state answer with the refusal instead of waiting for a PDF.
        key = _refused_key(resume.pk, theme, fingerprint)
        cache.set(key, too_long.max_pages, settings.PDF_REFUSAL_SECONDS)
        raise


def _replace_row(
    resume_id: int, theme: str, fingerprint: str, name: str, rendered: "RenderedPDF"
) -> ResumePDF | None:
    """Point the résumé's PDF row at `name` if the résumé still has the rendered state; the
    replaced object goes after commit. The résumé's row lock orders this against its
    changes, its deletion and other renders."""
    resume = Resume.objects.select_for_update().filter(pk=resume_id).first()
    if resume is None or pdf_fingerprint(resume, theme) != fingerprint:
        return None
    pdf = ResumePDF.objects.filter(resume=resume, theme=theme).first()
    if pdf is not None and pdf.fingerprint == fingerprint:
        return pdf  # another render of the same state committed first
    if pdf is None:
        pdf = ResumePDF(resume=resume, theme=theme)
    else:
        delete_after_commit([pdf.file.name])
    pdf.fingerprint = fingerprint
    pdf.file.name = name
    pdf.pages = rendered.pages
    pdf.size = len(rendered.data)
    pdf.save()
    return pdf


def pdf_render_and_store(*, resume_id: int, theme: str) -> ResumePDF | None:
    """Render and store the PDF of the résumé as it is now in `theme`, unless it is stored
    already; idempotent. None when the résumé is gone or changed while it rendered (the
    change's own render follows); nothing written is then left behind. PDFTooLong when it
    has too many pages (remembered for the downloads of this state)."""
    resume = Resume.objects.filter(pk=resume_id).first()
    if resume is None:
        return None
    fingerprint = pdf_fingerprint(resume, theme)
    ready = pdf_ready(resume=resume, theme=theme, fingerprint=fingerprint)
    if ready is not None:
        return ready
    rendered = _render(resume, theme, fingerprint)
    key = f"{RESUME_PDF.prefix}/{uuid.uuid4().hex}.pdf"
    name = default_storage.put(key, rendered.data, PDF_CONTENT_TYPE)
    try:
        with transaction.atomic():
            pdf = _replace_row(resume_id, theme, fingerprint, name, rendered)
    except BaseException:
        delete_quietly(name)
        raise
    if pdf is None or pdf.file.name != name:
        delete_quietly(name)
    return pdf


def _enqueue_render(resume: Resume, theme: str, fingerprint: str) -> None:
    """Queue the render of the résumé's state `fingerprint`, unless it was queued within
    PDF_RENDER_ENQUEUE_WINDOW_SECONDS (the window lets a lost task be queued again)."""
    key = _enqueued_key(resume.pk, theme, fingerprint)
    if not cache.add(key, True, settings.PDF_RENDER_ENQUEUE_WINDOW_SECONDS):
        return
    try:
        tasks.render_resume_pdf.delay(resume.pk, theme)
    except BaseException as failure:
        cache.delete(key)  # not queued (or, in-process, not rendered): the next ask tries again
        if isinstance(failure, Retry):
            # In-process, a render that a worker would retry later fails now, with its cause.
            raise failure.exc from failure
        raise


def pdf_render_enqueue(*, resume: Resume, theme: str | None = None) -> None:
    """Render the résumé's PDF in `theme` (default: its own) in the background once the
    current transaction commits, so that it is ready before anyone asks for it.

    A failure (no broker; in-process, a failed render) is logged, not raised: the change
    this follows has committed, and a download renders on demand anyway."""
    theme = theme or resume.theme
    transaction.on_commit(
        lambda: _enqueue_render(resume, theme, pdf_fingerprint(resume, theme)), robust=True
    )


def _check_not_refused(resume: Resume, theme: str, fingerprint: str) -> None:
    refused = cache.get(_refused_key(resume.pk, theme, fingerprint))
    if refused is not None:
        raise PDFTooLong(max_pages=refused)


def pdf_request(*, resume: Resume, theme: str) -> ResumePDF | None:
    """The PDF of the résumé as it is now in `theme`, for a download: the stored one, else its
    render is queued and None returned (where tasks run in-process the render has run by
    then, and its PDF is returned). PDFTooLong when this state has too many pages."""
    fingerprint = pdf_fingerprint(resume, theme)
    pdf = pdf_read_with(resume, theme, fingerprint)
    if pdf is not None:
        return pdf
    _check_not_refused(resume, theme, fingerprint)
    _enqueue_render(resume, theme, fingerprint)
    pdf = pdf_ready(resume=resume, theme=theme, fingerprint=fingerprint)
    if pdf is None:
        _check_not_refused(resume, theme, fingerprint)
    return pdf


def pdf_delete_all(*, resume: Resume) -> None:
    """Delete the résumé's PDF objects once the surrounding transaction commits (their rows
    go with the résumé). Call with the résumé's row locked, so that no render stores another
    one in between."""
    delete_after_commit(list(resume.pdfs.values_list("file", flat=True)))
