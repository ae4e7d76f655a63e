"""bin/backup and bin/restore round-trip a populated database and its files: the demo (migrated
and seeded in a scratch database: three plans, executions, signed orders, certificates) is backed
up, restored into another scratch database, and every table is compared row for row (count and a
checksum of the contents), every sequence, every file and every signing key. With STORAGE_S3_* set
the files go into and come out of an S3 bucket (moto's server on loopback, tests/s3server.py)."""

import hashlib
import io
import shutil
import tarfile
import uuid

import pytest

from tests.reliability.backups import admin, contents, files, on_server, script
from tests.reliability.servers import free_port
from tests.s3server import bucket_objects, empty_bucket, s3_server

pytestmark = pytest.mark.services


def test_backup_of_a_populated_database_restores_equal(demo_backup, tmp_path, record_property):
    base, folder = demo_backup["base"], demo_backup["folder"]
    before, sequences_before, media_before = (
        demo_backup["tables"],
        demo_backup["sequences"],
        demo_backup["files"],
    )
    populated = ("activities_activity", "activities_execution", "reports_orderdocument", "vprplan_auditevent")
    assert all(before[t][0] > 0 for t in populated) and media_before, before  # really populated
    assert {p.name for p in folder.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "keys.tar.gz",
        "SHA256SUMS",
    }
    assert demo_backup["keys"] and not any(name.endswith(".p12") for name in media_before)  # keys apart

    target = f"vprplan_rel_restore_{uuid.uuid4().hex[:8]}"
    media, keys = tmp_path / "restored-media", tmp_path / "restored-keys"
    into = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": on_server(base, target),
        "MEDIA_ROOT": str(media),
        "SIGNING_PKCS12_DIR": str(keys),
    }
    admin(base, "CREATE DATABASE {}", target)
    try:
        script("restore", into, str(folder))
        assert contents(on_server(base, target)) == (before, sequences_before)  # new rows get new ids
        assert files(media) == media_before
        assert files(keys) == demo_backup["keys"] and keys.stat().st_mode & 0o777 == 0o700

        # Restoring again over the live database replaces it (--clean): still equal, nothing doubled.
        script("restore", into, str(folder))
        assert contents(on_server(base, target)) == (before, sequences_before)

        # A damaged copy is refused before anything is touched.
        damaged = tmp_path / "damaged"
        shutil.copytree(folder, damaged)
        (damaged / "media.tar.gz").write_bytes(b"broken")
        refused = script("restore", into, str(damaged), check=False)
        assert refused.returncode == 2 and "Контрольные суммы" in refused.stderr
    finally:
        admin(base, "DROP DATABASE IF EXISTS {} WITH (FORCE)", target)
    record_property("backup_tables_compared", len(before))
    record_property("backup_rows_compared", sum(n for n, _ in before.values()))
    record_property("backup_sequences_compared", len(sequences_before))
    record_property("backup_media_files_compared", len(media_before))


def archive_files(path) -> dict[str, str]:
    """The files of a .tar.gz, by path (without «./»), with their SHA-256."""
    with tarfile.open(path) as archive:
        return {
            member.name.removeprefix("./"): hashlib.sha256(archive.extractfile(member).read()).hexdigest()
            for member in archive.getmembers()
            if member.isfile()
        }


def checksums(objects: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in objects.items()}


def test_backup_and_restore_with_the_files_in_a_bucket(demo_backup, tmp_path, record_property):
    """The demo's backup (files from the disk) restored with S3 on puts its files into the bucket;
    a backup taken then holds the bucket's objects; restored into an empty bucket and a new database
    everything is as it was; an unfinished or damaged copy is refused before the bucket is touched;
    and the same copy restores onto the disk when S3 is off (the way back from a bucket)."""
    base, media_before = demo_backup["base"], demo_backup["files"]
    databases = [f"vprplan_rel_s3_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in databases:
        admin(base, "CREATE DATABASE {}", name)
    try:
        with s3_server(prefix="vprplan/files") as s3:

            def env(db: str, **more: str) -> dict:
                return {
                    "PATH": "/usr/bin:/bin",
                    "DATABASE_URL": on_server(base, db),
                    "MEDIA_ROOT": str(tmp_path / "unused-media"),
                    "SIGNING_PKCS12_DIR": str(tmp_path / f"keys-{db}"),
                    **s3,
                    **more,
                }

            # From the disk into the bucket: the demo's files are objects now, under the prefix.
            script("restore", env(databases[0]), str(demo_backup["folder"]))
            assert checksums(bucket_objects(s3)) == media_before
            keys = bucket_objects({**s3, "STORAGE_S3_PREFIX": ""})
            assert all(key.startswith("vprplan/files/") for key in keys), list(keys)[:3]

            # A backup with S3 on holds the bucket's objects (not MEDIA_ROOT, which stays empty).
            folder = tmp_path / "backups"
            made = script("backup", env(databases[0]), str(folder)).stdout.strip().splitlines()[-1]
            made = folder / made.rsplit("/", 1)[-1]
            assert {p.name for p in made.iterdir()} == {
                "database.dump",
                "media.tar.gz",
                "keys.tar.gz",
                "SHA256SUMS",
            }
            assert archive_files(made / "media.tar.gz") == media_before
            assert archive_files(made / "keys.tar.gz") == demo_backup["keys"]
            assert not (tmp_path / "unused-media").exists()

            # Refused before anything is touched: an unfinished copy and a damaged one.
            objects = empty_bucket(s3)
            unfinished = tmp_path / "unfinished"
            shutil.copytree(made, unfinished)
            (unfinished / ".incomplete").touch()
            refused = script("restore", env(databases[1]), str(unfinished), check=False)
            assert refused.returncode == 2 and "не завершена" in refused.stderr
            damaged = tmp_path / "damaged"
            shutil.copytree(made, damaged)
            with tarfile.open(damaged / "media.tar.gz", "w:gz") as archive:  # a valid archive, other bytes
                info = tarfile.TarInfo("evidence/forged.pdf")
                info.size = 4
                archive.addfile(info, io.BytesIO(b"%PDF"))
            refused = script("restore", env(databases[1]), str(damaged), check=False)
            assert refused.returncode == 2 and "Контрольные суммы" in refused.stderr
            assert bucket_objects(s3) == {}

            # Into an empty bucket and a new database: as it was.
            script("restore", env(databases[1]), str(made))
            assert contents(on_server(base, databases[1])) == (
                demo_backup["tables"],
                demo_backup["sequences"],
            )
            assert checksums(bucket_objects(s3)) == media_before
            assert files(tmp_path / f"keys-{databases[1]}") == demo_backup["keys"]

            # And back onto the disk: the same copy with S3 off.
            off = {name: "" for name in s3}
            disk = tmp_path / "back-on-disk"
            script("restore", env(databases[1], **off, MEDIA_ROOT=str(disk)), str(made))
            assert files(disk) == media_before

            # A backup whose bucket cannot be reached fails and stays marked unfinished: refused.
            closed = free_port()  # nobody listens there
            failed_root = tmp_path / "failed-backups"
            failed = script(
                "backup",
                env(databases[0], STORAGE_S3_ENDPOINT_URL=f"http://127.0.0.1:{closed}"),
                str(failed_root),
                check=False,
            )
            assert failed.returncode != 0
            (left,) = failed_root.iterdir()
            assert (left / ".incomplete").exists() and not (left / "SHA256SUMS").exists()
            refused = script("restore", env(databases[1]), str(left), check=False)
            assert refused.returncode == 2 and "не завершена" in refused.stderr
    finally:
        for name in databases:
            admin(base, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    record_property("s3_backup_objects", len(media_before))
    record_property("s3_backup_objects_emptied_before_restore", objects)
    record_property("s3_restore_objects", len(media_before))
