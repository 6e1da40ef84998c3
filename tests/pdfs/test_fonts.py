"""pdfs.fonts: which scripts have a font, and the warning that names those without, with
this machine's fonts and with fontconfig configurations that lack some or all of them."""

import logging
from pathlib import Path

import pytest
from celery.signals import worker_ready

from pdfs import fonts
from tests.support.processes import run_django

ALL_SCRIPTS = list(fonts.SCRIPTS)
CJK = ["Chinese", "Japanese", "Korean"]
NOTO_CORE = Path("/usr/share/fonts/truetype/noto")  # Debian's fonts-noto-core


def fontconfig_file(folder: Path, *font_dirs: Path) -> Path:
    """A fontconfig configuration that knows only the fonts in `font_dirs`."""
    (folder / "empty").mkdir(exist_ok=True)
    dirs = "".join(f"<dir>{path}</dir>" for path in font_dirs or [folder / "empty"])
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig>{dirs}<cachedir>{folder / 'cache'}</cachedir></fontconfig>"
    )
    return config


def test_this_machine_has_a_font_for_every_script():
    # CI installs fonts-noto-core and fonts-noto-cjk (.ci/run), as production must.
    assert fonts.scripts_with_fonts() == dict.fromkeys(ALL_SCRIPTS, True)
    assert fonts.fonts_check() == []


def test_without_fonts_every_script_is_named_with_both_packages(tmp_path, monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", str(fontconfig_file(tmp_path)))

    assert fonts.scripts_with_fonts() == dict.fromkeys(ALL_SCRIPTS, False)
    [warning] = fonts.fonts_check()
    assert warning.id == "pdfs.W001"
    assert all(script in warning.msg for script in ALL_SCRIPTS)
    assert "fonts-noto-core" in warning.hint
    assert "fonts-noto-cjk" in warning.hint


def test_with_noto_core_only_the_east_asian_scripts_are_named(tmp_path, monkeypatch):
    assert NOTO_CORE.is_dir()
    monkeypatch.setenv("FONTCONFIG_FILE", str(fontconfig_file(tmp_path, NOTO_CORE)))

    found = fonts.scripts_with_fonts()
    assert [script for script, has_font in found.items() if not has_font] == CJK
    [warning] = fonts.fonts_check()
    assert warning.id == "pdfs.W001"
    assert warning.msg.startswith("No font for Chinese, Japanese, Korean text")
    assert "fonts-noto-cjk" in warning.hint
    assert "fonts-noto-core" not in warning.hint


def test_without_fc_list_the_fonts_are_unknown(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    assert fonts.scripts_with_fonts() == dict.fromkeys(ALL_SCRIPTS, None)
    [warning] = fonts.fonts_check()
    assert warning.id == "pdfs.W002"
    assert all(script in warning.msg for script in ALL_SCRIPTS)


@pytest.mark.parametrize("behaviour", ["exit 1", "sleep 30"], ids=["fails", "hangs"])
def test_an_fc_list_that_fails_or_hangs_leaves_the_fonts_unknown(tmp_path, monkeypatch, behaviour):
    fc_list = tmp_path / "fc-list"
    fc_list.write_text(f"#!/bin/sh\n{behaviour}\n")
    fc_list.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(fonts, "FC_LIST_TIMEOUT_SECONDS", 0.2)

    assert fonts.scripts_with_fonts() == dict.fromkeys(ALL_SCRIPTS, None)
    assert [warning.id for warning in fonts.fonts_check()] == ["pdfs.W002"]


def test_the_server_says_at_start_which_scripts_will_fall_back(tmp_path):
    config = fontconfig_file(tmp_path, NOTO_CORE)
    checked = run_django({"DEBUG": "1", "FONTCONFIG_FILE": str(config)}, "manage.py", "check")

    assert checked.returncode == 0, checked.stderr  # a warning, not an error
    assert "(pdfs.W001) No font for Chinese, Japanese, Korean text" in checked.stderr
    assert "apt-get install fonts-noto-cjk" in checked.stderr


def test_a_worker_logs_the_scripts_that_will_fall_back_when_it_starts(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("FONTCONFIG_FILE", str(fontconfig_file(tmp_path)))
    with caplog.at_level(logging.WARNING, logger="pdfs.fonts"):
        worker_ready.send(sender=None)

    [record] = [record for record in caplog.records if record.name == "pdfs.fonts"]
    assert record.levelno == logging.WARNING
    assert "pdfs.W001" in record.getMessage()
    assert "Hebrew" in record.getMessage()
