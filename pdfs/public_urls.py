from django.urls import path

from pdfs import views

urlpatterns = [
    path("<slug:share_slug>/pdf/", views.public_resume_pdf, name="public-page-pdf"),
]
