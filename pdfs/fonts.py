"""Which writing systems the PDF renderer has fonts for. WeasyPrint takes its fonts from
fontconfig: a script without an installed font comes out as empty boxes in the PDF. The
system check (and a worker, when it starts) says which scripts would, and what to install.
"""

import logging
import shutil
import subprocess
from typing import Any

from celery.signals import worker_ready
from django.core import checks

logger = logging.getLogger(__name__)

# Script -> (fontconfig language that needs it, Debian package with a Noto font for it).
SCRIPTS = {
    "Latin": ("en", "fonts-noto-core"),
    "Cyrillic": ("ru", "fonts-noto-core"),
    "Greek": ("el", "fonts-noto-core"),
    "Chinese": ("zh-cn", "fonts-noto-cjk"),
    "Japanese": ("ja", "fonts-noto-cjk"),
    "Korean": ("ko", "fonts-noto-cjk"),
    "Arabic": ("ar", "fonts-noto-core"),
    "Hebrew": ("he", "fonts-noto-core"),
}
FC_LIST_TIMEOUT_SECONDS = 5


def scripts_with_fonts() -> dict[str, bool | None]:
    """For each script, whether fontconfig has a font for it (`fc-list :lang=<code>`);
    None when that cannot be told (no fc-list, or it failed or timed out)."""
    fc_list = shutil.which("fc-list")
    found: dict[str, bool | None] = {}
    for script, (language, _) in SCRIPTS.items():
        if fc_list is None:
            found[script] = None
            continue
        try:
            listed = subprocess.run(  # noqa: S603 - fixed program and arguments
                [fc_list, f":lang={language}", "family"],
                capture_output=True,
                text=True,
                timeout=FC_LIST_TIMEOUT_SECONDS,
                check=True,
            )
        except (OSError, subprocess.SubprocessError) as error:
            logger.debug("fc-list for %s failed: %s", language, error)
            found[script] = None
        else:
            found[script] = bool(listed.stdout.strip())
    return found


def fonts_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django system check: warnings naming the scripts PDFs would show without glyphs, or
    that fonts could not be checked; none when every script has a font."""
    found = scripts_with_fonts()
    missing = [script for script, has_font in found.items() if has_font is False]
    unknown = [script for script, has_font in found.items() if has_font is None]
    warnings = []
    if missing:
        packages = list(dict.fromkeys(SCRIPTS[script][1] for script in missing))
        warnings.append(
            checks.Warning(
                f"No font for {', '.join(missing)} text: PDFs will show it as empty boxes.",
                hint=f"Install Debian's {' and '.join(packages)} (apt-get install "
                f"{' '.join(packages)}).",
                id="pdfs.W001",
            )
        )
    if unknown:
        warnings.append(
            checks.Warning(
                f"Could not check the fonts for {', '.join(unknown)} text (fontconfig's "
                "fc-list is missing or failed): PDFs may show it as empty boxes.",
                hint="Install Debian's fontconfig, fonts-noto-core and fonts-noto-cjk.",
                id="pdfs.W002",
            )
        )
    return warnings


@worker_ready.connect
def log_font_warnings(**kwargs: Any) -> None:
    """A Celery worker renders the PDFs: it says at start which scripts would fall back."""
    for warning in fonts_check():
        logger.warning("%s %s (%s)", warning.msg, warning.hint, warning.id)
