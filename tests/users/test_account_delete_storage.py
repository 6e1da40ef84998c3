"""The stored objects of a deleted account: deleted by a task after the deletion commits,
retried while S3 fails, and swept as orphans when the task never ran."""

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from resumes.models import Resume
from resumes.services import resume_create, resume_update
from storage import services as storage_services
from storage.tasks import delete_stored_objects, delete_stored_prefix, sweep_orphans
from tests.factories import PASSWORD
from tests.support.accounts import fill_account, rows_of, stored_names
from tests.support.api import client_for
from tests.support.celery import QueuedTask, broker
from tests.support.faults import closed_port_url, failing_s3
from tests.support.s3 import point_storage_at
from tests.support.uploads import image_upload
from uploads.services import staging_prefix
from users import deletion
from users.models import User

pytestmark = pytest.mark.django_db

DELETE = "/api/auth/me/delete/"


@pytest.fixture
def scene(user, other_user, bucket):
    return fill_account(user, bucket), fill_account(other_user, bucket)


def deletions(queued: list[QueuedTask]) -> list[QueuedTask]:
    """The object deletions among queued tasks (the account's goodbye mail is queued too)."""
    return [task for task in queued if task.name == delete_stored_objects.name]


def s3_fails_for(calls: int) -> list[str]:
    """The next `calls` DeleteObject calls of the default storage fail as if S3 could not
    be reached; returns the list every call (failed or not) is recorded in."""
    seen: list[str] = []

    def maybe_fail(**kwargs) -> None:
        seen.append("delete")
        if len(seen) <= calls:
            raise EndpointConnectionError(endpoint_url="http://s3.test")

    events = default_storage.connection.meta.client.meta.events
    events.register("before-call.s3.DeleteObject", maybe_fail, unique_id="test-fails")
    return seen


@pytest.fixture
def unregister_faults(bucket) -> Iterator[None]:
    yield
    events = default_storage.connection.meta.client.meta.events
    events.unregister("before-call.s3.DeleteObject", unique_id="test-fails")


def test_the_objects_are_deleted_by_a_task_queued_after_commit(user, scene, bucket, queue):
    mine, theirs = scene
    names = stored_names(mine.user_id)

    response = client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    (task,) = deletions(queue.take())
    assert set(task.args[0]) == names
    assert names <= set(bucket.object_keys())  # nothing deleted before the task runs
    delete_stored_objects.apply(args=task.args, throw=True)
    assert not names & set(bucket.object_keys())
    assert stored_names(theirs.user_id) <= set(bucket.object_keys())


def test_the_task_is_retried_while_s3_fails_until_it_is_done(
    user, scene, bucket, queue, settings, unregister_faults
):
    settings.CELERY_TASK_EAGER_PROPAGATES = False  # each retry's own run would raise
    mine, _theirs = scene
    names = stored_names(mine.user_id)
    client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")
    (task,) = deletions(queue.take())
    calls = s3_fails_for(3)

    # As a worker runs it: each retry is the task run again.
    result = delete_stored_objects.apply(args=task.args, throw=False)

    assert result.successful()
    assert len(calls) == 3 + len(names)  # three failed attempts, then one deleting them all
    assert not names & set(bucket.object_keys())


def test_a_task_failing_on_s3_every_time_gives_up_after_its_retries(bucket, settings, monkeypatch):
    monkeypatch.setattr(delete_stored_objects, "max_retries", 2)
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    deletes: list[str] = []

    with failing_s3(503, "SlowDown") as url:
        point_storage_at(settings, url)
        events = default_storage.connection.meta.client.meta.events
        events.register("before-call.s3.DeleteObject", lambda **kwargs: deletes.append("delete"))
        result = delete_stored_objects.apply(args=[["resumes/a.jpg"]], throw=False)

    assert result.failed()
    assert "SlowDown" in str(result.result)
    assert len(deletes) == 3  # the first attempt and two retries


def test_the_orphan_sweep_deletes_what_a_crash_left(user, scene, bucket, queue):
    mine, theirs = scene
    names = stored_names(mine.user_id)
    theirs_before = stored_names(theirs.user_id)
    client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")
    queue.take()  # the worker crashed: the task never ran
    assert set(rows_of(mine).values()) == {0}
    assert names <= set(bucket.object_keys())

    sweep_orphans.apply(kwargs={"older_than_hours": 0})

    assert not names & set(bucket.object_keys())
    assert theirs_before <= set(bucket.object_keys())


def test_a_broker_out_of_reach_does_not_undo_the_deletion(user, scene, bucket, settings):
    mine, _theirs = scene
    names = stored_names(mine.user_id)

    with broker(settings, f"redis://{urlsplit(closed_port_url()).netloc}/0"):
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
        response = client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert set(rows_of(mine).values()) == {0}
    assert names <= set(bucket.object_keys())  # left to the orphan sweep


@pytest.mark.django_db(transaction=True)  # two threads, two connections, real commits
def test_an_image_stored_while_the_account_is_deleted_does_not_outlive_it(
    user, bucket, monkeypatch
):
    """A replacement that stored its new image after the deletion read the account's names:
    it then finds its résumé gone (the deletion's row locks order the two) and deletes the
    image again."""
    resume = resume_create(owner=user, title="Photo", image=image_upload())
    names_read, image_stored, go_on = threading.Event(), threading.Event(), threading.Event()
    read_names, store_image = deletion.names_owned_by, storage_services.image_store

    def read_names_then_wait(user_id):
        names = read_names(user_id)
        names_read.set()
        go_on.wait(10)
        return names

    def store_image_then_say_so(*args):
        stored = store_image(*args)
        image_stored.set()
        return stored

    monkeypatch.setattr(deletion, "names_owned_by", read_names_then_wait)
    monkeypatch.setattr(storage_services, "image_store", store_image_then_say_so)
    failures = []

    def delete() -> None:
        try:
            deletion.account_delete(user=User.objects.get(pk=user.pk))
        finally:
            connection.close()

    def replace() -> None:
        try:
            resume_update(resume, image=image_upload(color="red"))
        except Exception as failure:
            failures.append(failure)
        finally:
            connection.close()

    deleting = threading.Thread(target=delete)
    deleting.start()
    assert names_read.wait(10)
    replacing = threading.Thread(target=replace)
    replacing.start()
    assert image_stored.wait(10)
    go_on.set()
    deleting.join(30)
    replacing.join(30)

    assert len(failures) == 1  # the résumé it would have changed was gone
    assert not Resume.objects.exists()
    assert bucket.object_keys() == []


def test_a_direct_upload_landing_after_the_deletion_is_deleted_once_none_can(
    user, other_user, bucket, queue, settings
):
    client_for(user).post(DELETE, {"current_password": PASSWORD}, format="json")
    (purge,) = [task for task in queue.take() if task.name == delete_stored_prefix.name]
    # A presigned POST issued before the deletion lands afterwards; another user's staged
    # upload is there too.
    late, others = f"{staging_prefix(user.pk)}late.jpg", f"{staging_prefix(other_user.pk)}a.jpg"
    for key in (late, others):
        bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"\xff\xd8late")

    delete_stored_prefix.apply(args=purge.args, throw=True)

    assert purge.args == [staging_prefix(user.pk)]
    not_before = timezone.now() + timedelta(seconds=settings.UPLOAD_URL_EXPIRE_SECONDS)
    assert datetime.fromisoformat(purge.eta) >= not_before
    keys = bucket.object_keys()
    assert late not in keys and others in keys
