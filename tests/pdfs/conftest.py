import pytest

from resumes.models import Resume
from resumes.services import resume_create
from tests.support.images import image_file

CONTENT = {
    "basics": {"name": "Ada Lovelace", "label": "Analyst", "summary": "Wrote the first program."},
    "work": [
        {
            "name": "Analytical Engine",
            "position": "Analyst",
            "summary": "Notes on the engine.",
            "highlights": ["Note G"],
        }
    ],
}


@pytest.fixture
def resume(user, bucket) -> Resume:
    """A private résumé with a photo and some content."""
    return resume_create(
        owner=user, title="Ada Lovelace – Analyst", content=CONTENT, image=image_file()
    )
