import io
import zipfile

import pytest

from exports.models import AccountExport
from tests.support.accounts import fill_account
from tests.support.s3 import Bucket

EXPORTS = "/api/exports/"


def detail(export_id: int) -> str:
    return f"{EXPORTS}{export_id}/"


def opened(bucket: Bucket, export: AccountExport) -> zipfile.ZipFile:
    """The export's zip as the bucket holds it."""
    data, content_type = bucket.get(export.file.name)
    assert content_type == "application/zip"
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.fixture
def holdings(user, bucket):
    """alice holds two résumés with images, one without, an avatar, a PDF, a direct upload
    and a ready export."""
    return fill_account(user, bucket)
