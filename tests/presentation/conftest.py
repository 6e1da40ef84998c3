import json
from pathlib import Path
from typing import Any

import pytest

DOCUMENTS = Path(__file__).parent / "documents"


@pytest.fixture
def full_document() -> dict[str, Any]:
    """A real résumé that fills every JSON Resume 1.0.0 section (documents/README.md)."""
    return json.loads((DOCUMENTS / "complete-resume.json").read_text())
