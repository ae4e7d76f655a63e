"""`manage.py bench --login-cpu`: the CPU a login costs with each password hasher, in one run.

For each variant (a PASSWORD_HASHERS list) a user whose password was hashed with it logs in
through the login form, the test client and the full middleware stack; the variants take turns, so
the machine's drift hits each alike. Everything happens in a transaction rolled back at the end:
nothing stays in the database. CPU time is the process's (time.process_time: every thread, so
Argon2's parallelism counts), wall time beside it.
"""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

PASSWORD = "vprplan-login-cpu-1"
DJANGO = "django.contrib.auth.hashers."


def variants() -> list[tuple[str, list[str]]]:
    """(name, PASSWORD_HASHERS): before (Django's default, PBKDF2 first), after (the settings'),
    and Django's stock Argon2 parameters for reference."""
    return [
        ("before: PBKDF2-SHA256 (Django's default)", [DJANGO + "PBKDF2PasswordHasher"]),
        (f"after: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}", list(settings.PASSWORD_HASHERS)),
        ("reference: Argon2 with Django's defaults (t=2, 100 MiB, p=8)", [DJANGO + "Argon2PasswordHasher"]),
    ]


def _login(username: str) -> tuple[float, float]:
    client = Client()
    cpu, wall = time.process_time(), time.perf_counter()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 302:
        raise RuntimeError(f"the login of {username} was refused ({response.status_code})")
    return cpu * 1000, wall * 1000


def measure(*, repeat: int = 9) -> list[dict]:
    """Median CPU and wall ms of a successful login POST per variant (one warm-up round first)."""
    User = get_user_model()
    samples: dict[str, list[tuple[float, float]]] = {}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        with transaction.atomic():
            users = []
            for i, (name, hashers) in enumerate(variants()):
                with override_settings(PASSWORD_HASHERS=hashers):
                    user = User(username=f"bench-login-cpu-{i}")
                    user.set_password(PASSWORD)
                    user.save()
                users.append((name, hashers, user.username))
                samples[name] = []
            for round_ in range(repeat + 1):
                for name, hashers, username in users:
                    with override_settings(PASSWORD_HASHERS=hashers):
                        sample = _login(username)
                    if round_:
                        samples[name].append(sample)
            transaction.set_rollback(True)
    return [
        {
            "hasher": name,
            "cpu_ms": round(statistics.median(s[0] for s in rows), 1),
            "wall_ms": round(statistics.median(s[1] for s in rows), 1),
            "logins": len(rows),
        }
        for name, rows in samples.items()
    ]


def table(rows: list[dict]) -> str:
    lines = ["| password hasher | CPU ms per login | wall ms | logins |", "|---|---:|---:|---:|"]
    lines += [f"| {r['hasher']} | {r['cpu_ms']:.1f} | {r['wall_ms']:.1f} | {r['logins']} |" for r in rows]
    return "\n".join(lines)
