from django.contrib import admin

from resumes.attachments import RESUME_IMAGE
from resumes.models import Resume
from storage.admin import thumbnail_html


@admin.register(Resume)
class ResumeAdmin(admin.ModelAdmin):
    list_display = ["image_preview", "title", "owner", "created_at", "updated_at"]
    list_display_links = ["image_preview", "title"]
    list_filter = ["created_at", "updated_at"]
    search_fields = ["title", "summary", "owner__username", "owner__email"]
    list_select_related = ["owner"]
    # Content is validated by the API serializers only; staff read it here.
    readonly_fields = ["image_preview", "content", "created_at", "updated_at"]
    raw_id_fields = ["owner"]
    date_hierarchy = "created_at"

    @admin.display(description="Image")
    def image_preview(self, resume: Resume) -> str:
        return thumbnail_html(resume, RESUME_IMAGE)
