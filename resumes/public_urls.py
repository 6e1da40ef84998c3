from django.urls import path

from resumes import views

urlpatterns = [
    path("<slug:share_slug>/", views.public_resume_read, name="public-resume-detail"),
]
