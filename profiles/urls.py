from django.urls import path

from profiles import views

urlpatterns = [path("me/", views.profile_me, name="profile-me")]
