"""Deleting an account: its rows at once, its stored objects right after.

Database and storage cannot share a transaction. In one transaction the account's row is
locked, the names of every object its rows hold are read (storage.attachments.names_owned_by:
every declared kind, its rows locked too), and the account is deleted: the profile, résumés,
their PDFs, staged uploads and exports go with it (foreign keys, CASCADE). What does not
cascade goes too: its refresh tokens (simplejwt keeps them with the user set to NULL, and
their blacklist entries cascade from them) and django-axes' failed-login records for its
username. Once that commits, a background task deletes the objects, retrying until S3 lets
it; whatever a crash leaves is referenced by no row, so the orphan sweep deletes it. The
account's address is told (users.mail), from what the deletion read: the account is gone.

A render or an export running meanwhile stores its object, then finds its row gone under
the same locks and deletes the object again (pdfs.services, exports.services).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from storage.attachments import names_owned_by
from storage.tasks import delete_stored_objects, delete_stored_prefix
from uploads.services import staging_prefix
from users.mail import send_after_commit
from users.models import User

# An upload that started before its presigned POST expired may finish a little after.
LATE_UPLOAD_GRACE_SECONDS = 60


def account_delete(*, user: User) -> None:
    """Delete the account, everything it holds, and (after commit) its stored objects."""
    with transaction.atomic():
        # Rows that would reference the account wait for this to end, then find it gone.
        account = User.objects.select_for_update().filter(pk=user.pk).first()
        if account is None:
            return  # a concurrent request deleted it first
        account_id = account.pk
        names = names_owned_by(account_id)
        OutstandingToken.objects.filter(user=account).delete()
        username = account.get_username()
        for record in (AccessAttempt, AccessFailureLog, AccessLog):
            # axes records usernames as typed at login (users.lockout: lower-cased).
            record.objects.filter(username__iexact=username).delete()
        account.delete()
        if names:
            # robust: the deletion has committed whatever becomes of the task (a broker that
            # cannot be reached, or, in-process, S3): what it leaves, the orphan sweep deletes.
            transaction.on_commit(lambda: delete_stored_objects.delay(names), robust=True)
        # A direct upload issued before the deletion may still land in the staging area
        # until its presigned POST expires: that area is emptied once none can.
        transaction.on_commit(
            lambda: delete_stored_prefix.apply_async(
                args=[staging_prefix(account_id)],
                countdown=settings.UPLOAD_URL_EXPIRE_SECONDS + LATE_UPLOAD_GRACE_SECONDS,
            ),
            robust=True,
        )
        if account.email:
            send_after_commit("account_deleted", to=account.email, context={"username": username})
