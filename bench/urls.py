from django.urls import path

from bench.reference import naive_resume_list
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("bench/naive-resumes/", naive_resume_list),
]
