from django.urls import path

from users import views
from users.deletion_views import account_delete_view

urlpatterns = [
    path("register/", views.register, name="auth-register"),
    path("token/", views.token_obtain, name="auth-token"),
    path("token/refresh/", views.token_refresh, name="auth-token-refresh"),
    path("logout/", views.logout, name="auth-logout"),
    path("me/", views.me, name="auth-me"),
    path("me/delete/", account_delete_view, name="auth-me-delete"),
]
