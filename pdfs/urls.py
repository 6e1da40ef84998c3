from django.urls import path

from pdfs import views

urlpatterns = [
    path("<int:resume_id>/pdf/", views.resume_pdf, name="resume-pdf"),
]
