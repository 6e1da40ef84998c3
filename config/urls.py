from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_yasg import openapi
from drf_yasg.views import get_schema_view
from rest_framework.permissions import AllowAny

from api.views import index
from presentation.views import theme_list

# Most requests first: Django tries the patterns in order, and each one passed over costs
# (resolving a detail took 36 µs with résumés third here and the API fifth below).
api_urlpatterns = [
    path("resumes/", include("resumes.urls")),
    path("resumes/", include("pdfs.urls")),
    path("auth/", include("users.urls")),
    path("profiles/", include("profiles.urls")),
    path("public/resumes/", include("resumes.public_urls")),
    path("uploads/", include("uploads.urls")),
    path("exports/", include("exports.urls")),
    path("themes/", theme_list, name="theme-list"),
]

schema_view = get_schema_view(
    openapi.Info(
        title="resume-api",
        default_version="v1",
        description="Résumés with images on S3. Sign up (`POST /api/auth/register/`), log in "
        "(`POST /api/auth/token/`), then press **Authorize** and enter `Bearer <access token>`. "
        "The request examples work as they stand, in the order listed (paste your own refresh "
        "token where one is asked for).",
    ),
    public=True,
    permission_classes=[AllowAny],
    # The API only: `/` and the admin are not part of it (and would move the base path).
    patterns=[path("api/", include(api_urlpatterns))],
)

# The admin's "View site": the API's own pages (the try-it frontend is served elsewhere).
admin.site.site_url = "/swagger/"

urlpatterns = [
    path("api/", include(api_urlpatterns)),
    path("", index, name="index"),
    path("admin/", admin.site.urls),
    # The PDF link before the page's, whose patterns end in a catch-all (the not-found page).
    path("r/", include("pdfs.public_urls")),
    path("r/", include("presentation.urls")),
    re_path(
        r"^swagger\.(?P<format>json|yaml)$",
        schema_view.without_ui(cache_timeout=0),
        name="schema-json",
    ),
    path("swagger/", schema_view.with_ui("swagger", cache_timeout=0), name="schema-swagger-ui"),
    path("redoc/", schema_view.with_ui("redoc", cache_timeout=0), name="schema-redoc"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.not_found"
handler500 = "api.errors.server_error"
