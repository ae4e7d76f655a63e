"""The S3-compatible bucket of the stored files, from the STORAGE_S3_* environment variables.

Imported by the settings (the STORAGES entry), so nothing here touches Django. Run as a program it
is the bucket half of bin/backup and bin/restore:

    python -m vprplan.bucket download DIR   # every object under the prefix into DIR (keys as paths)
    python -m vprplan.bucket upload DIR     # every file under DIR back into the bucket

Both print how many files they copied. The keys are the names the database rows hold (the prefix,
STORAGE_S3_PREFIX, is not part of them), so a backup restores into a bucket of any prefix, or onto
the local disk (MEDIA_ROOT) and back.
"""

import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

DEFAULT_REGION = "us-east-1"
# A download larger than this is spooled to a temporary file, not held in memory.
SPOOL_MAX_MEMORY = 2 * 1024 * 1024


def _get(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return (environ.get(name) or default).strip()


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """S3 is on when STORAGE_S3_BUCKET is set."""
    return bool(_get(environ, "STORAGE_S3_BUCKET"))


def prefix(environ: Mapping[str, str] = os.environ) -> str:
    return _get(environ, "STORAGE_S3_PREFIX").strip("/")


def _addressing_style(environ: Mapping[str, str]) -> str | None:
    if style := _get(environ, "STORAGE_S3_ADDRESSING_STYLE"):
        return style
    return "path" if _get(environ, "STORAGE_S3_ENDPOINT_URL") else None


def client_config(environ: Mapping[str, str] = os.environ):
    """botocore's Config: SigV4, the addressing style, checksums only where S3 requires them
    (boto3 ≥ 1.36 adds CRC checksums to every upload by default, which Ceph and older MinIO refuse),
    and a page that needs an unreachable bucket fails in seconds, not at boto3's minute."""
    from botocore.config import Config

    return Config(
        signature_version="s3v4",
        s3={"addressing_style": _addressing_style(environ) or "auto"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=float(_get(environ, "STORAGE_S3_CONNECT_TIMEOUT", "5")),
        read_timeout=60,
        retries={"mode": "standard", "max_attempts": 3},
    )


def storage_options(environ: Mapping[str, str] = os.environ) -> dict:
    """The OPTIONS of django-storages' S3Storage: private objects (no ACL, signed URLs only),
    never overwritten (a name taken gets a suffix, as on the disk), path-style addressing for an
    endpoint of one's own (MinIO, Ceph) unless STORAGE_S3_ADDRESSING_STYLE says otherwise."""
    endpoint = _get(environ, "STORAGE_S3_ENDPOINT_URL")
    return {
        "bucket_name": _get(environ, "STORAGE_S3_BUCKET"),
        "endpoint_url": endpoint or None,
        "access_key": _get(environ, "STORAGE_S3_ACCESS_KEY") or None,
        "secret_key": _get(environ, "STORAGE_S3_SECRET_KEY") or None,
        "region_name": _get(environ, "STORAGE_S3_REGION", DEFAULT_REGION),
        "location": prefix(environ),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": int(_get(environ, "STORAGE_S3_PRESIGNED_SECONDS", "300")),
        "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": _addressing_style(environ),
        "client_config": client_config(environ),
        "max_memory_size": SPOOL_MAX_MEMORY,
    }


def storage_entry(environ: Mapping[str, str] = os.environ) -> dict:
    """STORAGES["default"]: the bucket when configured, MEDIA_ROOT on the local disk otherwise."""
    if not enabled(environ):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": storage_options(environ)}


def client(environ: Mapping[str, str] = os.environ):
    """A boto3 S3 client on the configured endpoint, with the configured keys."""
    import boto3

    options = storage_options(environ)
    return boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
        config=options["client_config"],
    )


def object_keys(s3, bucket: str, under: str = "") -> Iterator[str]:
    """Every key of `bucket` under the prefix `under` (all of them when empty)."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{under}/" if under else "")
    for page in pages:
        for item in page.get("Contents", []):
            yield item["Key"]


def _relative(key: str, under: str) -> str | None:
    """The stored name of `key` (without the prefix), or None for a key that cannot be a path."""
    name = key[len(under) + 1 :] if under else key
    parts = PurePosixPath(name).parts
    if not name or name.endswith("/") or name.startswith("/") or ".." in parts or "." in parts:
        return None
    return name


def download(directory: Path, environ: Mapping[str, str] = os.environ) -> int:
    """Copy every object under the prefix into `directory`; the number copied."""
    s3, bucket, under = client(environ), _get(environ, "STORAGE_S3_BUCKET"), prefix(environ)
    copied = 0
    for key in object_keys(s3, bucket, under):
        name = _relative(key, under)
        if name is None:
            print(f"Пропущен объект с недопустимым именем: {key!r}", file=sys.stderr)
            continue
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        s3.download_file(bucket, key, str(target))
        copied += 1
    return copied


def upload(directory: Path, environ: Mapping[str, str] = os.environ) -> int:
    """Copy every file under `directory` into the bucket (under the prefix); the number copied.
    Objects of the same name are replaced; others in the bucket are left as they are."""
    s3, bucket, under = client(environ), _get(environ, "STORAGE_S3_BUCKET"), prefix(environ)
    copied = 0
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        name = path.relative_to(directory).as_posix()
        s3.upload_file(str(path), bucket, f"{under}/{name}" if under else name)
        copied += 1
    return copied


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("download", "upload"):
        print("python -m vprplan.bucket download|upload DIR", file=sys.stderr)
        return 2
    if not enabled():
        print("STORAGE_S3_BUCKET не задан: файлы хранятся на диске (MEDIA_ROOT).", file=sys.stderr)
        return 2
    directory = Path(argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    count = (download if argv[0] == "download" else upload)(directory)
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
