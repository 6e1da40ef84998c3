"""A moto S3 server on loopback, for trying and testing the S3 path with no AWS account."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import requests
from moto.server import ThreadedMotoServer

ACCESS_KEY = "local-moto-key"
SECRET_KEY = "local-moto-secret"  # noqa: S105 - moto accepts any credentials
REGION = "us-east-1"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class LocalS3:
    endpoint_url: str
    bucket: str

    def client(self):  # noqa: ANN201 - boto3 clients have no importable type
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def environment(self) -> dict[str, str]:
        """The settings that point the API's default storage at this server."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def create_bucket(client: Any, bucket: str, cors_origins: tuple[str, ...] = ("*",)) -> None:
    """Create `bucket` with a CORS rule for browser uploads (`client`: a boto3 S3 client)."""
    client.create_bucket(Bucket=bucket)
    client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": list(cors_origins),
                    "AllowedMethods": ["GET", "HEAD", "POST", "PUT"],
                    "AllowedHeaders": ["*"],
                    "MaxAgeSeconds": 3600,
                }
            ]
        },
    )


@contextmanager
def local_s3(
    bucket: str, host: str = "127.0.0.1", port: int = 0, cors_origins: tuple[str, ...] = ("*",)
) -> Iterator[LocalS3]:
    """Run moto's S3 server with `bucket` created and a CORS rule for browser uploads."""
    port = port or free_port(host)
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    try:
        s3 = LocalS3(endpoint_url=f"http://{host}:{port}", bucket=bucket)
        # moto keeps its state per process, not per server: start from an empty store.
        requests.post(f"{s3.endpoint_url}/moto-api/reset", timeout=10).raise_for_status()
        create_bucket(s3.client(), bucket, cors_origins)
        yield s3
    finally:
        server.stop()
