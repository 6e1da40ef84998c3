from django.urls import path

from exports import views

urlpatterns = [
    path("", views.export_list_create, name="export-list"),
    path("<int:export_id>/", views.export_detail, name="export-detail"),
]
