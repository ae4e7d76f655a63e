"""bin/backup and bin/restore round-trip a populated database and its files: the demo (migrated
and seeded in a scratch database: three plans, executions, signed orders, certificates) is backed
up, restored into another scratch database, and every table is compared row for row (count and a
checksum of the contents), every sequence, and every file."""

import shutil
import uuid

import pytest

from tests.reliability.backups import admin, contents, files, on_server, script

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
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    target = f"vprplan_rel_restore_{uuid.uuid4().hex[:8]}"
    media = tmp_path / "restored-media"
    into = {"PATH": "/usr/bin:/bin", "DATABASE_URL": on_server(base, target), "MEDIA_ROOT": str(media)}
    admin(base, "CREATE DATABASE {}", target)
    try:
        script("restore", into, str(folder))
        assert contents(on_server(base, target)) == (before, sequences_before)  # new rows get new ids
        assert files(media) == media_before

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
