from pdfs.models import ResumePDF
from storage.attachments import FileAttachment

# Column file; keys pdfs/<uuid4>.pdf, written only by pdfs.services.
RESUME_PDF = FileAttachment(
    model=ResumePDF, field="file", prefix="pdfs", owner_lookup="resume__owner"
)
