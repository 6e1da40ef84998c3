from django.urls import path

from resumes import views

urlpatterns = [
    path("<slug:share_slug>/", views.public_resume_read, name="public-resume-detail"),
    path("<slug:share_slug>/image/", views.public_resume_image, name="public-resume-image"),
    path(
        "<slug:share_slug>/image/thumbnail/",
        views.public_resume_image_thumbnail,
        name="public-resume-image-thumbnail",
    ),
]
