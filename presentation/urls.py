from django.urls import path, re_path

from presentation import views

# Under /r/: what a share link opens.
urlpatterns = [
    path("<slug:share_slug>/", views.public_page, name="public-page"),
    path("<slug:share_slug>/photo/", views.public_page_photo, name="public-page-photo"),
    path(
        "<slug:share_slug>/photo/thumbnail/",
        views.public_page_photo_thumbnail,
        name="public-page-photo-thumbnail",
    ),
    # Anything else ending in "/" (without one, CommonMiddleware first adds it).
    re_path(r"^(?:.*/)?$", views.page_not_found),
]
