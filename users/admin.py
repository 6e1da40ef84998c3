from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from profiles.models import Profile
from users.deletion import account_delete
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

    # An account deleted here goes as one deleted through the API does: with its stored
    # objects, refresh tokens and login failures (users/deletion.py).
    def delete_model(self, request: HttpRequest, obj: User) -> None:
        account_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            account_delete(user=user)
