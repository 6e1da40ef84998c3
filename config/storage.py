"""The S3 storage backend: django-storages' S3Boto3Storage, keeping each request's S3 time
budget (config/s3.py). Apart from config.s3, so that settings can check the budget without
importing the storage."""

import boto3
from storages.backends.s3boto3 import S3Boto3Storage

from config.s3 import register


class BudgetedS3Storage(S3Boto3Storage):
    """S3Boto3Storage whose clients keep each request's S3 time budget."""

    def _create_session(self) -> boto3.session.Session:
        session = super()._create_session()
        register(session.events)
        return session
