from django.urls import path

from presentation.views import resume_preview
from resumes import views

urlpatterns = [
    path("", views.resume_list_create, name="resume-list"),
    path("import/", views.resume_import, name="resume-import"),
    path("<int:resume_id>/", views.resume_detail, name="resume-detail"),
    path("<int:resume_id>/export/", views.resume_export, name="resume-export"),
    path("<int:resume_id>/share-link/", views.resume_share_link, name="resume-share-link"),
    path("<int:resume_id>/preview/", resume_preview, name="resume-preview"),
]
