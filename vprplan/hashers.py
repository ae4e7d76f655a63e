"""Password hashing: Argon2id with parameters chosen by measuring on the production machine.

Django's Argon2PasswordHasher defaults (t=2, 100 MiB, parallelism 8) cost ≈ 215–265 ms of CPU per
check on the 2-core server, PBKDF2 with 1,000,000 iterations ≈ 240–380 ms: in the morning rush of
logins that is most of the server. OWASP's password storage cheat sheet lists equivalent Argon2id
settings; m = 19 MiB, t = 2, p = 1 is one of them and costs ≈ 25 ms of CPU here (README
«Performance», `manage.py bench -k login`). The algorithm name stays «argon2», so a hash made with
other parameters (Django's defaults, an older tuning) is verified and re-made on the next login
(Argon2PasswordHasher.must_update compares the parameters).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
