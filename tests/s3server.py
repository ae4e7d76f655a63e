"""An S3-compatible server on loopback for the tests: moto's standalone server (`moto[server]`, run
as `python -m moto.server`), since no MinIO installs from the package registries.

    with s3_server() as env:          # a server on a free port, a fresh bucket in it
        env["STORAGE_S3_BUCKET"]      # … and the other STORAGE_S3_* variables the settings read

`env` is what a process of vprplan needs in its environment to keep its files in that bucket
(bin/backup, gunicorn of the two-node test). In-process tests use the `s3_storage` fixture, which
turns the bucket on for the test (settings.STORAGES, MEDIA_ROOT moved to an empty folder) and counts
the files written and read through the storage.
"""

import contextlib
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ports import ServerUnavailable, free_port, wait_port
from vprplan import bucket

ACCESS_KEY = "vprplan-test"
SECRET_KEY = "vprplan-test-secret"


@contextlib.contextmanager
def s3_server(*, bucket_name: str = "vprplan-files", prefix: str = "") -> Iterator[dict[str, str]]:
    """Start moto's S3 server on 127.0.0.1 and a free port, create `bucket_name` in it, and yield
    the STORAGE_S3_* variables (BUCKET, ENDPOINT_URL, ACCESS_KEY, SECRET_KEY, REGION, PREFIX) that
    point vprplan at it. The server is stopped (and its contents gone) on exit."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="vprplan-moto-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        try:
            wait_port(port, process=process, timeout=60)
        except ServerUnavailable as exc:
            raise ServerUnavailable(f"moto.server: {exc}: {Path(log.name).read_text(errors='replace')[-2000:]}") from exc
        env = {
            "STORAGE_S3_BUCKET": bucket_name,
            "STORAGE_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "STORAGE_S3_ACCESS_KEY": ACCESS_KEY,
            "STORAGE_S3_SECRET_KEY": SECRET_KEY,
            "STORAGE_S3_REGION": bucket.DEFAULT_REGION,
            "STORAGE_S3_PREFIX": prefix,
        }
        bucket.client(env).create_bucket(Bucket=bucket_name)
        yield env
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def bucket_objects(env: dict[str, str]) -> dict[str, bytes]:
    """Every object under the prefix of `env`, by stored name (without the prefix), with its bytes;
    read with boto3 directly, not through the app's storage."""
    s3, name, under = bucket.client(env), env["STORAGE_S3_BUCKET"], bucket.prefix(env)
    return {
        key[len(under) + 1 :] if under else key: s3.get_object(Bucket=name, Key=key)["Body"].read()
        for key in bucket.object_keys(s3, name, under)
    }


def empty_bucket(env: dict[str, str]) -> int:
    """Delete every object of the bucket (whatever its prefix); how many there were."""
    s3, name = bucket.client(env), env["STORAGE_S3_BUCKET"]
    keys = list(bucket.object_keys(s3, name))
    for key in keys:
        s3.delete_object(Bucket=name, Key=key)
    return len(keys)


class S3Files:
    """The bucket of one test: its variables, its objects, and the storage calls counted."""

    def __init__(self, env: dict[str, str], media_root: Path):
        self.env = env
        self.media_root = media_root
        self.written = 0  # files saved through the storage (S3Storage._save)
        self.read = 0  # files opened through the storage (S3Storage._open)
        self.deleted = 0  # files deleted through the storage (S3Storage.delete)

    def objects(self) -> dict[str, bytes]:
        return bucket_objects(self.env)

    def media_files(self) -> list[Path]:
        """What was written under MEDIA_ROOT meanwhile: nothing, while the bucket is on."""
        return [p for p in self.media_root.rglob("*") if p.is_file()] if self.media_root.exists() else []


@pytest.fixture(scope="session")
def s3_env() -> Iterator[dict[str, str]]:
    """One moto server for the run; each test gets the bucket empty (s3_storage)."""
    with s3_server(prefix="vprplan") as env:
        yield env


@pytest.fixture
def s3_storage(s3_env, settings, tmp_path, monkeypatch) -> Iterator[S3Files]:
    """Files of this test in the moto bucket, as production keeps them with STORAGE_S3_BUCKET set:
    settings.STORAGES["default"] is vprplan.bucket's S3 entry, MEDIA_ROOT an empty folder (that must
    stay empty), and every save, open and delete through the S3 storage is counted."""
    from storages.backends.s3 import S3Storage

    empty_bucket(s3_env)
    files = S3Files(s3_env, tmp_path / f"media-{uuid.uuid4().hex[:6]}")
    settings.MEDIA_ROOT = files.media_root
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage_entry(s3_env)}
    settings.STORAGE_S3 = True
    settings.STORAGE_S3_PRESIGNED_DOWNLOADS = False

    save, open_, delete = S3Storage._save, S3Storage._open, S3Storage.delete

    def counted_save(storage, name, content):
        files.written += 1
        return save(storage, name, content)

    def counted_open(storage, name, mode="rb"):
        handle = open_(storage, name, mode)
        files.read += 1
        return handle

    def counted_delete(storage, name):
        files.deleted += 1
        return delete(storage, name)

    monkeypatch.setattr(S3Storage, "_save", counted_save)
    monkeypatch.setattr(S3Storage, "_open", counted_open)
    monkeypatch.setattr(S3Storage, "delete", counted_delete)
    yield files
