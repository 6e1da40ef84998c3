"""The shared JSON Resume corpus (tests/resumes/jsonresume-corpus/, a byte-for-byte copy of
the team's ../shared/jsonresume-corpus/) and the official schema check of a document."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from resumes.json_resume_schema import FORMAT_CHECKER

CORPUS = Path(__file__).parent.parent / "resumes" / "jsonresume-corpus"
# Kinds of corpus documents written to be refused.
INVALID_KINDS = {"official-example-invalid"}


@dataclass(frozen=True)
class CorpusFile:
    file: str
    kind: str
    sha256: str
    traits: tuple[str, ...]

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def _entries(index: Path) -> list[CorpusFile]:
    return [
        CorpusFile(entry["file"], entry["kind"], entry["sha256"], tuple(entry.get("traits", ())))
        for entry in json.loads(index.read_text())
    ]


def corpus_documents() -> list[CorpusFile]:
    return _entries(CORPUS / "index.json")


def corpus_schemas() -> list[CorpusFile]:
    return [
        CorpusFile(f"schemas/{entry['file']}", "schema", entry["sha256"], ())
        for entry in json.loads((CORPUS / "schemas" / "index.json").read_text())
    ]


def schema_tests() -> list[CorpusFile]:
    return [
        CorpusFile(f"schema-tests/{entry.file}", entry.kind, entry.sha256, ())
        for entry in _entries(CORPUS / "schema-tests" / "index.json")
    ]


@cache
def current_schema() -> dict[str, Any]:
    """@jsonresume/schema 1.3.1, from the corpus (not the project's vendored copy)."""
    return json.loads(
        (CORPUS / "schemas" / "jsonresume__jsonresume.org__packages_schema_schema.json").read_text()
    )


def schema_errors(document: Any) -> list[str]:
    """Where `document` breaks the official current schema, with the API's format checks
    (JSON Resume's `uri` read as the tooling reads it: an RFC 3986 URI reference)."""
    validator = jsonschema.Draft7Validator(current_schema(), format_checker=FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
