import json

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from presentation.themes import themes
from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from storage.admin import thumbnail_html


class ResumeAdminForm(forms.ModelForm):
    theme = forms.ChoiceField(choices=lambda: [(t.name, t.label) for t in themes().values()])

    class Meta:
        model = Resume
        # Content is validated by the API serializers only; staff read it (content_json).
        fields = ["owner", "title", "summary", "is_public", "theme", "allow_search_indexing"]


@admin.register(Resume)
class ResumeAdmin(admin.ModelAdmin):
    form = ResumeAdminForm
    list_display = [
        "image_preview",
        "title",
        "owner",
        "is_public",
        "theme",
        "created_at",
        "updated_at",
    ]
    list_display_links = ["image_preview", "title"]
    list_filter = ["is_public", "theme", "created_at", "updated_at"]
    search_fields = ["title", "summary", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["image_preview", "share_link", "content_json", "created_at", "updated_at"]
    raw_id_fields = ["owner"]
    date_hierarchy = "created_at"

    @admin.display(description="Image")
    def image_preview(self, resume: Resume) -> str:
        return thumbnail_html(resume, RESUME_IMAGE)

    @admin.display(description="Share link")
    def share_link(self, resume: Resume) -> str:
        url = reverse("public-page", args=[resume.share_slug])
        if not resume.is_public:
            return format_html("{} (private: the link answers “not found”)", url)
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    @admin.display(description="Content")
    def content_json(self, resume: Resume) -> str:
        text = json.dumps(resume.content, indent=2, ensure_ascii=False)
        return format_html('<pre style="white-space:pre-wrap;margin:0">{}</pre>', text)

    def view_on_site(self, resume: Resume) -> str | None:
        """ "View on site" opens the public page, while there is one."""
        return reverse("public-page", args=[resume.share_slug]) if resume.is_public else None
