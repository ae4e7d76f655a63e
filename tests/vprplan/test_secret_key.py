"""With DEBUG and no SECRET_KEY the key is random, made once into a git-ignored file, not a constant."""

import stat
import subprocess
import sys

from vprplan.secret_key import local_secret_key


def test_the_key_is_made_once_random_and_private(tmp_path):
    first = local_secret_key(tmp_path / "key")
    assert len(first) >= 50 and "insecure" not in first
    assert local_secret_key(tmp_path / "key") == first  # kept across restarts
    assert stat.S_IMODE((tmp_path / "key").stat().st_mode) == 0o600
    assert local_secret_key(tmp_path / "other") != first  # another install, another key


def test_settings_use_the_file_when_debug_has_no_secret_key(tmp_path):
    path = tmp_path / "secret"
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {
        "DEBUG": "true",
        "SECRET_KEY_FILE": str(path),
        "DJANGO_SETTINGS_MODULE": "vprplan.settings",
        "PATH": "",
    }
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
    )
    out = run().stdout.strip().splitlines()[-1]
    assert out == path.read_text().strip() and run().stdout.strip().splitlines()[-1] == out


def test_the_key_file_is_ignored_by_git():
    assert ".local-secret-key" in open(".gitignore").read().split()
