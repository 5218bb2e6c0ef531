"""A real S3 endpoint over HTTP on a loopback port (moto's server), its two buckets, and the settings that
settings/base.py makes of the S3_* variables pointing at it. Used by tests/test_s3.py and tests/test_two_servers.py.

The public bucket is readable by anyone (a bucket policy, as an operator sets one for S3_BUCKET); the private one is
not (no policy, private objects): reading it needs a signed request."""

from __future__ import annotations

import json
import runpy
import socket
from dataclasses import dataclass
from pathlib import Path

BASE_SETTINGS = Path(__file__).resolve().parents[1] / "apothecary" / "settings" / "base.py"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "apothecary-test", "AWS_SECRET_ACCESS_KEY": "apothecary-test-secret"}
REGION = "us-east-1"


@dataclass
class S3Endpoint:
    url: str  # http://127.0.0.1:PORT
    bucket: str  # public media
    private_bucket: str  # prescription files

    def environ(self) -> dict[str, str]:
        """The variables an app server or worker is given to keep its files here (README: Several app servers)."""
        return {
            "S3_BUCKET": self.bucket,
            "S3_PRIVATE_BUCKET": self.private_bucket,
            "S3_ENDPOINT_URL": self.url,
            "S3_REGION": REGION,
            **CREDENTIALS,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self, bucket: str) -> list[str]:
        answer = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def empty(self) -> None:
        client = self.client()
        for bucket in (self.bucket, self.private_bucket):
            for key in self.keys(bucket):
                client.delete_object(Bucket=bucket, Key=key)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(name: str = "apothecary"):
    """Start moto's S3 server on a free loopback port and make the two buckets; returns (endpoint, stop)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = S3Endpoint(f"http://127.0.0.1:{port}", f"{name}-media", f"{name}-private")
    client = endpoint.client()
    client.create_bucket(Bucket=endpoint.bucket)
    client.create_bucket(Bucket=endpoint.private_bucket)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{endpoint.bucket}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=endpoint.bucket, Policy=json.dumps(public_read))
    return endpoint, server.stop


def configured_settings(endpoint: S3Endpoint, monkeypatch) -> dict:
    """settings/base.py read afresh with the endpoint's variables (also left set for the test, for boto3)."""
    for name, value in endpoint.environ().items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))
