from django.contrib import admin

from profiles.attachments import AVATAR
from profiles.models import Profile
from storage.admin import thumbnail_html


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["avatar_preview", "user", "display_name", "headline", "location", "updated_at"]
    list_display_links = ["avatar_preview", "user"]
    list_filter = ["updated_at"]
    search_fields = ["user__username", "user__email", "display_name", "headline", "location"]
    list_select_related = ["user"]
    readonly_fields = ["avatar_preview", "created_at", "updated_at"]
    raw_id_fields = ["user"]

    @admin.display(description="Avatar")
    def avatar_preview(self, profile: Profile) -> str:
        return thumbnail_html(profile, AVATAR)
