from typing import Any

from rest_framework import serializers

from presentation.themes import themes


def _known_themes() -> str:
    return ", ".join(themes())


class ThemeField(serializers.ChoiceField):
    """The name of one of the themes (GET /api/themes/)."""

    def __init__(self, **kwargs: Any) -> None:
        known = _known_themes()
        kwargs.setdefault("help_text", f"A theme's name: {known} (GET /api/themes/).")
        kwargs["error_messages"] = {
            "invalid_choice": f'"{{input}}" is not a theme; choose one of {known} '
            "(GET /api/themes/)."
        }
        super().__init__(choices=list(themes()), **kwargs)


class ThemeQuerySerializer(serializers.Serializer):
    theme = ThemeField(required=False, help_text="The theme to show it in; default: its own.")


class ThemeSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="What `theme` on a résumé is set to.")
    label = serializers.CharField()
    description = serializers.CharField()
