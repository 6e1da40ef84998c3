from django.urls import path

from resumes import views

urlpatterns = [
    path("", views.resume_list_create, name="resume-list"),
    path("<int:resume_id>/", views.resume_detail, name="resume-detail"),
]
