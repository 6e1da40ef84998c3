from resumes.models import Resume
from storage.attachments import ImageAttachment
from uploads.models import UploadPurpose

# Columns image and image_thumbnail; a direct upload is claimed with image_key.
RESUME_IMAGE = ImageAttachment(
    model=Resume,
    field="image",
    prefix="resumes",
    owner_lookup="owner",
    upload_purpose=UploadPurpose.RESUME_IMAGE,
)
