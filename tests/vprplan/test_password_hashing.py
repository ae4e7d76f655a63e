"""Passwords are hashed with the tuned Argon2id (vprplan.hashers) in production settings, and a
hash made before with PBKDF2 still logs in and is re-made with Argon2 on that login.

The test settings hash with MD5 for speed; these tests put the production list back."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from vprplan import settings as production
from vprplan.hashers import TunedArgon2PasswordHasher

pytestmark = pytest.mark.django_db


def test_production_hashes_with_the_tuned_argon2_first_and_keeps_pbkdf2_after_it():
    assert production.PASSWORD_HASHERS[0] == "vprplan.hashers.TunedArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production.PASSWORD_HASHERS[1:]
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        encoded = make_password("correct horse battery")
        hasher = identify_hasher(encoded)
    assert isinstance(hasher, TunedArgon2PasswordHasher)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_an_old_pbkdf2_hash_logs_in_and_is_upgraded_to_argon2(client):
    user = UserFactory(username="old-hash")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert user.password.startswith("pbkdf2_sha256$")

    response = client.post(reverse("login"), {"username": "old-hash", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)
    assert client.get(reverse("home")).status_code == 200


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_an_argon2_hash_with_other_parameters_is_remade_with_the_tuned_ones(client):
    user = UserFactory(username="django-default-argon2")
    django_default = Argon2PasswordHasher()
    user.password = django_default.encode(PASSWORD, django_default.salt())
    user.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in user.password

    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


def test_bench_login_cpu_measures_each_hasher_and_leaves_nothing_behind():
    """`manage.py bench --login-cpu`: a row per hasher (PBKDF2 before, the settings' first after),
    each from real logins; its users are rolled back."""
    from django.contrib.auth import get_user_model

    from bench import logins

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        rows = logins.measure(repeat=1)
    assert [r["hasher"].split(":")[0] for r in rows] == ["before", "after", "reference"]
    assert rows[1]["hasher"] == "after: TunedArgon2PasswordHasher"
    assert all(r["logins"] == 1 and r["cpu_ms"] > 0 and r["wall_ms"] > 0 for r in rows)
    assert not get_user_model().objects.filter(username__startswith="bench-login-cpu-").exists()
    assert "| after: TunedArgon2PasswordHasher |" in logins.table(rows)
