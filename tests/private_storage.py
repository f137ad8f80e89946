"""The private file storage under test: a directory of the test's own by default, or, with
``TEST_STORAGE=s3`` (set by .ci/run on its PostgreSQL pass), a bucket on an S3-compatible
server started on 127.0.0.1 for the run (moto in server mode), reached through django-storages
exactly as production reaches its store.

Test modules that write private files import the fixtures:
``from tests.private_storage import private_storage, s3_server  # noqa: F401``.
"""

import os
import socket
import uuid

import pytest

STORAGE_UNDER_TEST = os.environ.get("TEST_STORAGE", "filesystem")
if STORAGE_UNDER_TEST not in {"filesystem", "s3"}:
    raise pytest.UsageError(f"TEST_STORAGE={STORAGE_UNDER_TEST!r}: use filesystem or s3")

S3_REGION = "us-east-1"
S3_KEYS = {"access_key": "testing-key", "secret_key": "testing-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server on 127.0.0.1 and a free port, for the whole run."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint_url: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )


@pytest.fixture
def private_storage(request, settings, tmp_path):
    """The "private" storage for one test, empty: ``"filesystem"`` or ``"s3"``."""
    if STORAGE_UNDER_TEST == "s3":
        endpoint = request.getfixturevalue("s3_server")
        bucket = f"growthmatrix-test-{uuid.uuid4().hex[:12]}"
        s3_client(endpoint).create_bucket(Bucket=bucket)
        backend = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": S3_REGION,
                **S3_KEYS,
                "default_acl": "private",
                "signature_version": "s3v4",
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        }
    else:
        backend = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private-files"), "base_url": None},
        }
    settings.STORAGES = {**settings.STORAGES, "private": backend}
    return STORAGE_UNDER_TEST
