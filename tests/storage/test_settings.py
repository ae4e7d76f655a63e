"""Where the files and the keys go, from the environment: the bucket's STORAGES entry (private
objects, never overwritten), the local disk without it, and the signing keys outside MEDIA_ROOT."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from tests.s3server import bucket_objects, empty_bucket
from vprplan import bucket

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("probe/файл.txt", ContentFile(b"probe"))
again = default_storage.save("probe/файл.txt", ContentFile(b"second"))
print(json.dumps({
    "backend": type(default_storage._wrapped).__name__,
    "names": [name, again],
    "media_root": str(settings.MEDIA_ROOT),
    "keys": str(settings.SIGNING_PKCS12_DIR),
    "base": str(settings.BASE_DIR),
    "presigned": settings.STORAGE_S3_PRESIGNED_DOWNLOADS,
}))
"""


def run_probe(extra: dict[str, str], tmp_path: Path) -> dict:
    """A fresh process on vprplan.settings with `extra` in a clean environment."""
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_S3_", "SIGNING_", "MEDIA_ROOT"))
    }
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "vprplan.settings",
        "DEBUG": "true",
        "SECRET_KEY": "storage-tests-" + "k" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "REDIS_URL": "",
        **extra,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_a_bucket_the_files_are_on_the_disk():
    assert bucket.storage_entry({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert bucket.storage_entry({"STORAGE_S3_BUCKET": "  "})["BACKEND"].endswith("FileSystemStorage")


def test_the_bucket_entry_keeps_objects_private_and_never_overwrites():
    entry = bucket.storage_entry(
        {
            "STORAGE_S3_BUCKET": "vpr",
            "STORAGE_S3_ENDPOINT_URL": "https://s3.region.example.ru",
            "STORAGE_S3_ACCESS_KEY": "id",
            "STORAGE_S3_SECRET_KEY": "secret",
            "STORAGE_S3_PREFIX": "/vprplan/",
        }
    )
    options = entry["OPTIONS"]
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (
        options["default_acl"] is None and options["querystring_auth"] is True
    )  # no public-read, signed URLs
    assert options["file_overwrite"] is False  # a name taken gets a suffix, as on the disk
    assert (options["bucket_name"], options["location"], options["region_name"]) == (
        "vpr",
        "vprplan",
        "us-east-1",
    )
    assert options["addressing_style"] == "path" and options["querystring_expire"] == 300
    config = options["client_config"]  # what S3Storage uses instead of its own (Ceph/MinIO-friendly)
    assert config.s3 == {"addressing_style": "path"} and config.signature_version == "s3v4"
    assert config.request_checksum_calculation == "when_required"
    aws = bucket.storage_options({"STORAGE_S3_BUCKET": "vpr", "STORAGE_S3_REGION": "eu-central-1"})
    assert (
        aws["endpoint_url"] is None
        and aws["addressing_style"] is None
        and aws["region_name"] == "eu-central-1"
    )


def test_a_process_with_the_variables_writes_into_the_bucket_privately(s3_env, tmp_path, record_property):
    empty_bucket(s3_env)
    media = tmp_path / "media"
    probe = run_probe({**s3_env, "MEDIA_ROOT": str(media)}, tmp_path)
    assert probe["backend"] == "S3Storage" and probe["presigned"] is False
    first, second = probe["names"]
    assert (
        first == "probe/файл.txt" and second != first and second.startswith("probe/файл_")
    )  # not overwritten
    assert bucket_objects(s3_env) == {first: b"probe", second: b"second"}
    assert not media.exists()
    s3 = bucket.client(s3_env)
    acl = s3.get_object_acl(Bucket=s3_env["STORAGE_S3_BUCKET"], Key=f"{s3_env['STORAGE_S3_PREFIX']}/{first}")
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]  # the owner's only: nothing public
    assert acl["Grants"][0]["Grantee"]["Type"] == "CanonicalUser"
    record_property("s3_probe_objects", len(bucket_objects(s3_env)))


def test_without_the_variables_a_process_writes_under_media_root_and_keys_live_apart(tmp_path):
    media = tmp_path / "media"
    probe = run_probe({"MEDIA_ROOT": str(media)}, tmp_path)
    assert probe["backend"] == "FileSystemStorage"
    assert (media / "probe" / "файл.txt").read_bytes() == b"probe"
    # The default keys folder is ./keys, not under MEDIA_ROOT (nor under the default ./media).
    assert Path(probe["keys"]) == Path(probe["base"]) / "keys"
    assert not Path(probe["keys"]).is_relative_to(probe["media_root"])
    assert not Path(probe["keys"]).is_relative_to(Path(probe["base"]) / "media")


@pytest.mark.parametrize("inside", [True, False])
def test_keys_under_media_root_are_warned_about(settings, tmp_path, inside):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_PKCS12_DIR = tmp_path / "media" / "signing" if inside else tmp_path / "keys"
    warned = [m for m in run_checks() if m.id == "vprplan.W201"]
    assert len(warned) == (1 if inside else 0)


def test_keys_left_in_the_old_default_folder_are_warned_about(settings, tmp_path):
    settings.MEDIA_ROOT, settings.SIGNING_PKCS12_DIR = tmp_path / "media", tmp_path / "keys"
    (tmp_path / "media" / "signing").mkdir(parents=True)
    (tmp_path / "media" / "signing" / "m1.p12").write_bytes(b"key")
    assert [m.id for m in run_checks() if m.id.startswith("vprplan.W20")] == ["vprplan.W202"]
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "m1.p12").write_bytes(b"key")  # moved (copied): no warning
    assert [m.id for m in run_checks() if m.id.startswith("vprplan.W20")] == []
