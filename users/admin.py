from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from profiles.models import Profile
from users.models import User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ["display_name", "headline", "location", "website"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [ProfileInline]
    list_display = [
        "username",
        "email",
        "email_verified",
        "is_staff",
        "is_active",
        "date_joined",
        "last_login",
    ]
    list_filter = ["email_verified", "is_staff", "is_superuser", "is_active", "date_joined"]
    fieldsets = [
        (name, {**options, "fields": [*options["fields"], "email_verified"]})
        if name == "Personal info"
        else (name, options)
        for name, options in DjangoUserAdmin.fieldsets
    ]
    search_fields = ["username", "email", "first_name", "last_name"]
    ordering = ["-date_joined"]
