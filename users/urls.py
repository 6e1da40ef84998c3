from django.urls import path

from users import views

urlpatterns = [
    path("register/", views.register, name="auth-register"),
    path("email/verify/", views.email_verify, name="auth-email-verify"),
    path("email/verify/resend/", views.email_verify_resend, name="auth-email-verify-resend"),
    path("token/", views.token_obtain, name="auth-token"),
    path("token/refresh/", views.token_refresh, name="auth-token-refresh"),
    path("password/reset/", views.password_reset, name="auth-password-reset"),
    path(
        "password/reset/confirm/",
        views.password_reset_confirm,
        name="auth-password-reset-confirm",
    ),
    path("logout/", views.logout, name="auth-logout"),
    path("logout/all/", views.logout_everywhere, name="auth-logout-all"),
    path("me/", views.me, name="auth-me"),
    path("password/change/", views.password_change, name="auth-password-change"),
    path("email/change/", views.email_change, name="auth-email-change"),
    path("email/change/confirm/", views.email_change_confirm, name="auth-email-change-confirm"),
    path("me/delete/", views.account_delete, name="auth-me-delete"),
]
