"""The buckets behind the default storage, as a client reads them, and the real S3 server
(Ceph RGW) a test run shares."""

import copy
import fcntl
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.config import Config as BotoConfig
from PIL import Image

from devtools import ceph_rgw
from devtools.ceph_rgw import LiveS3
from storage.attachments import ImageAttachment


@dataclass
class Bucket:
    """The bucket behind the default storage, read the way a client would."""

    client: Any
    name: str

    def object_keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(obj["Key"] for obj in listing.get("Contents", []))

    def get(self, key: str) -> tuple[bytes, str]:
        obj = self.client.get_object(Bucket=self.name, Key=key)
        return obj["Body"].read(), obj["ContentType"]

    def image(self, key: str) -> Image.Image:
        return Image.open(io.BytesIO(self.get(key)[0]))

    def empty_and_delete(self) -> None:
        for key in self.object_keys():
            self.client.delete_object(Bucket=self.name, Key=key)
        self.client.delete_bucket(Bucket=self.name)


def stored_keys(instance: Any, attachment: ImageAttachment) -> list[str]:
    """The keys of an attachment's image and its thumbnail, as the bucket lists them."""
    return sorted(getattr(instance, field).name for field in attachment.name_fields)


def point_storage_at(settings: Any, endpoint_url: str, **options: Any) -> None:
    """Send the default storage's S3 calls to `endpoint_url` (path-style addressing);
    `options` (bucket_name, access_key, ...) replace the storage's own."""
    storages = copy.deepcopy(settings.STORAGES)
    client_config = storages["default"]["OPTIONS"]["client_config"]
    storages["default"]["OPTIONS"].update(
        endpoint_url=endpoint_url,
        client_config=client_config.merge(BotoConfig(s3={"addressing_style": "path"})),
        **options,
    )
    # A new STORAGES value makes Django build a new default storage.
    settings.STORAGES = storages


def shared_ceph(directory: Path) -> LiveS3:
    """The Ceph RGW of a parallel run (pytest-xdist), in `directory`: the first worker that
    asks starts it (10-20 s), the others wait for it and use it. The controlling process
    stops it when the run ends (stop_shared_ceph)."""
    directory.mkdir(parents=True, exist_ok=True)
    described = directory / "s3.json"
    with (directory / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not described.exists():
            try:
                live = ceph_rgw.start(directory / "cluster")
            except Exception:
                _stop_cluster(directory / "cluster")  # the next worker starts afresh
                raise
            described.write_text(json.dumps(live.environment()))
        return LiveS3.from_environment(json.loads(described.read_text()))


def stop_shared_ceph(directory: Path) -> None:
    _stop_cluster(directory / "cluster")
    shutil.rmtree(directory, ignore_errors=True)


def _stop_cluster(cluster: Path) -> None:
    if cluster.exists():  # a half-started cluster has daemons to stop too
        ceph_rgw.stop(cluster)
        shutil.rmtree(cluster, ignore_errors=True)
