from profiles.models import Profile
from storage.attachments import ImageAttachment
from uploads.models import UploadPurpose

# Columns avatar and avatar_thumbnail; a direct upload is claimed with avatar_key.
AVATAR = ImageAttachment(
    model=Profile,
    field="avatar",
    prefix="avatars",
    owner_lookup="user",
    upload_purpose=UploadPurpose.AVATAR,
)
