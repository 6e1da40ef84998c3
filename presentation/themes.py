"""The themes: each folder under presentation/themes/ holding a `resume.html` is one, named
after the folder, with its `style.css` and an optional `theme.json` (`label`,
`description`). Adding a theme is adding a folder; they are found once per process."""

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

THEMES_DIR = Path(__file__).resolve().parent / "themes"
_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "presentation"
# Print rules every theme shares (page size and numbers, where pages may break).
PRINT_STYLESHEET_PATH = _TEMPLATES_DIR / "print.css"
# The style of the pages that say a résumé is not there (or to wait).
NOTICE_STYLESHEET_PATH = _TEMPLATES_DIR / "notice.css"
DEFAULT_THEME = "classic"


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows an inline element holding `text`."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    description: str
    # Relative to the template DIRS (config/settings.py lists THEMES_DIR).
    template_name: str
    stylesheet: str
    stylesheet_hash: str


@dataclass(frozen=True)
class Stylesheet:
    text: str
    hash: str


def _load(folder: Path) -> Theme:
    about_file = folder / "theme.json"
    about = json.loads(about_file.read_text()) if about_file.exists() else {}
    stylesheet = (folder / "style.css").read_text()
    return Theme(
        name=folder.name,
        label=about.get("label", folder.name.title()),
        description=about.get("description", ""),
        template_name=f"{folder.name}/resume.html",
        stylesheet=stylesheet,
        stylesheet_hash=csp_hash(stylesheet),
    )


@cache
def themes() -> dict[str, Theme]:
    """Every theme by name, the default first, then alphabetical."""
    found = sorted(
        (_load(folder) for folder in THEMES_DIR.iterdir() if (folder / "resume.html").exists()),
        key=lambda theme: (theme.name != DEFAULT_THEME, theme.name),
    )
    return {theme.name: theme for theme in found}


def theme_named(name: str) -> Theme:
    """The theme called `name`; LookupError if there is none."""
    try:
        return themes()[name]
    except KeyError:
        raise LookupError(f"No theme named {name!r}.") from None


def theme_or_default(name: str) -> Theme:
    """The theme called `name`, or the default if it is gone (a résumé keeps the name of a
    theme whose folder was removed)."""
    return themes().get(name) or themes()[DEFAULT_THEME]


@cache
def _stylesheet(path: Path) -> Stylesheet:
    text = path.read_text()
    return Stylesheet(text=text, hash=csp_hash(text))


def print_stylesheet() -> Stylesheet:
    return _stylesheet(PRINT_STYLESHEET_PATH)


def notice_stylesheet() -> Stylesheet:
    return _stylesheet(NOTICE_STYLESHEET_PATH)


@cache
def design_digest(theme: str) -> str:
    """sha256 of the files a theme's documents look like: its folder and the shared
    templates (print.css among them). Read once per process: they change with a deployment."""
    root = THEMES_DIR.parent
    digest = hashlib.sha256()
    for folder in (THEMES_DIR / theme, _TEMPLATES_DIR):
        for path in sorted(path for path in folder.rglob("*") if path.is_file()):
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
