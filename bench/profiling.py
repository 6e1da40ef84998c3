"""The profiled requests of bench.profile (imported once Django is set up)."""

from django.test import Client
from pyinstrument import Profiler
from rest_framework_simplejwt.tokens import AccessToken

from bench.run import photo_jpeg
from devtools.moto_s3 import LocalS3
from resumes.models import Resume
from users.models import User

FLAT = True


def run(path: str, repeat: int, s3: LocalS3) -> None:
    user = User.objects.create_user("profiler", "profiler@bench.test", "x-Passw0rd-long")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    small, large = photo_jpeg(200_000), photo_jpeg(int(4.9 * 1024 * 1024))

    def create() -> None:
        client.post("/api/resumes/", {"title": "t", "image": _file(small)})

    def upload() -> None:
        response = client.post("/api/resumes/", {"title": "t", "image": _file(large)})
        assert response.status_code == 201, response.content

    def claim() -> None:
        ticket = client.post(
            "/api/uploads/",
            {"purpose": "resume-image", "content_type": "image/jpeg", "size": len(large)},
            content_type="application/json",
        ).json()
        s3.client().put_object(Bucket=s3.bucket, Key=ticket["key"], Body=large)
        response = client.post(
            "/api/resumes/",
            {"title": "t", "image_key": ticket["key"]},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    def listing() -> None:
        client.get("/api/resumes/?page_size=100")

    def detail() -> None:
        client.get(f"/api/resumes/{latest}/")

    action = {
        "create": create,
        "upload": upload,
        "claim": claim,
        "list": listing,
        "detail": detail,
    }[path]
    if path in ("list", "detail"):
        for _ in range(100):
            create()
        latest = Resume.objects.filter(owner=user).latest("pk").pk
    action()
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            action()
    print(profiler.output_text(unicode=True, color=False, show_all=False, flat=FLAT))


def _file(data: bytes):  # noqa: ANN202
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")
