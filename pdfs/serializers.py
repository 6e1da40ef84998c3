from rest_framework import serializers


def theme_names() -> list[str]:
    """The themes a résumé can be rendered in."""
    return ["classic"]


class PDFQuerySerializer(serializers.Serializer):
    theme = serializers.CharField(
        required=False,
        max_length=40,
        help_text="The theme to render in (GET /api/themes/ lists them). Default: the "
        "résumé's own.",
    )

    def validate_theme(self, value: str) -> str:
        names = theme_names()
        if value not in names:
            raise serializers.ValidationError(
                f'Unknown theme "{value}": choose one of {", ".join(names)}.'
            )
        return value
