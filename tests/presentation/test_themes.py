"""The theme registry: a theme is a folder under presentation/themes/."""

import base64
import hashlib
import shutil

import pytest

from presentation import themes as registry
from presentation.themes import DEFAULT_THEME, THEMES_DIR, theme_named, themes


def test_the_themes_are_the_folders_default_first():
    found = themes()

    assert next(iter(found)) == DEFAULT_THEME == "classic"
    assert set(found) == {
        folder.name for folder in registry.THEMES_DIR.iterdir() if (folder / "resume.html").exists()
    }
    assert {"classic", "modern", "compact"} <= set(found)


@pytest.mark.parametrize("name", ["classic", "modern", "compact"])
def test_a_theme_has_a_label_a_description_and_its_stylesheets_hash(name):
    theme = theme_named(name)
    stylesheet = (registry.THEMES_DIR / name / "style.css").read_text()
    digest = base64.b64encode(hashlib.sha256(stylesheet.encode()).digest()).decode()

    assert theme.label == name.title()
    assert len(theme.description) > 20
    assert theme.template_name == f"{name}/resume.html"
    assert theme.stylesheet == stylesheet
    assert theme.stylesheet_hash == f"'sha256-{digest}'"


def test_an_unknown_theme_is_a_lookup_error():
    with pytest.raises(LookupError, match="No theme named 'neon'"):
        theme_named("neon")


@pytest.fixture
def themes_in(tmp_path, monkeypatch):
    """The registry reading themes from a folder of the test's own."""
    monkeypatch.setattr(registry, "THEMES_DIR", tmp_path)
    themes.cache_clear()
    yield tmp_path
    themes.cache_clear()


def test_adding_a_theme_is_adding_a_folder(themes_in):
    shutil.copytree(THEMES_DIR / "classic", themes_in / "classic")
    (themes_in / "plain").mkdir()
    (themes_in / "plain" / "resume.html").write_text('{% extends "presentation/base.html" %}')
    (themes_in / "plain" / "style.css").write_text("body { margin: 0; }")
    (themes_in / "notes").mkdir()  # no template: no theme

    assert list(themes()) == ["classic", "plain"]
    plain = theme_named("plain")
    assert (plain.label, plain.description, plain.stylesheet) == (
        "Plain",
        "",
        "body { margin: 0; }",
    )
