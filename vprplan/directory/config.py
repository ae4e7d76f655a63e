"""The directory settings, read from the environment (or any mapping: the tests pass their own).

settings.py calls `ldap_settings(os.environ)` and `oidc_settings(os.environ)` and takes what they
return; without its variables each says only that its directory is off (LDAP_ENABLED / OIDC_ENABLED
False), and nothing of python-ldap is imported. A mistake in a variable stops the start with
ImproperlyConfigured, in Russian.
"""

import json
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

from vprplan.roles import Role

# The backends grant Memberships, so they live in schools; the ground names them only as strings.
# Local passwords: Django's ModelBackend that keeps the session's user in the shared cache.
LOCAL_BACKEND = "vprplan.userstore.CachedModelBackend"
LDAP_BACKEND = "schools.directory.backends.DirectoryLDAPBackend"
OIDC_BACKEND = "schools.directory.backends.DirectoryOIDCBackend"

# LDAP_GROUP_TYPE → (the django_auth_ldap.config class, the group search's default filter).
LDAP_GROUP_TYPES = {
    "groupOfNames": ("GroupOfNamesType", "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": ("GroupOfUniqueNamesType", "(objectClass=groupOfUniqueNames)"),
    "posixGroup": ("PosixGroupType", "(objectClass=posixGroup)"),
    "activeDirectory": ("ActiveDirectoryGroupType", "(objectClass=group)"),
    "nestedActiveDirectory": ("NestedActiveDirectoryGroupType", "(objectClass=group)"),
}


def _get(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return (environ.get(name) or default).strip()


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = _get(environ, name)
    return default if not value else value.lower() in {"1", "true", "yes", "on"}


def parse_role_map(text: str, variable: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """{group DN or claim value: ((organisation code, role), …)} from a JSON object whose values
    are «<код организации>:<роль>» or a list of them. Keys (group DNs, claim values) are compared in
lower case."""
    if not text.strip():
        return {}
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{variable}: не JSON ({error}).") from error
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(f"{variable}: нужен объект JSON {{группа: «код:роль»}}.")
    roles = set(Role.values)
    result = {}
    for key, value in raw.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise ImproperlyConfigured(f"{variable}: у «{key}» должна быть строка «код:роль» или их список.")
        pairs = []
        for item in values:
            code, _, role = item.strip().partition(":")
            if not code or role not in roles:
                raise ImproperlyConfigured(
                    f"{variable}: «{item}» — нужно «<код организации>:<роль>», роль одна из: "
                    + ", ".join(sorted(roles))
                )
            pairs.append((code, role))
        result[key.strip().lower()] = tuple(pairs)
    return result


def normalize_dn(dn: str) -> str:
    """A DN as the role map compares it: lower case, no spaces around «,» and «=»
    («CN=VPR, OU=Groups» and «cn=vpr,ou=groups» are one group)."""
    import ldap.dn

    try:
        return ldap.dn.dn2str(ldap.dn.str2dn(dn.strip())).lower()
    except ldap.DECODING_ERROR:
        return dn.strip().lower()


def ldap_settings(environ: Mapping[str, str]) -> dict:
    """AUTH_LDAP_* for django-auth-ldap, or LDAP_ENABLED=False without LDAP_SERVER_URI."""
    uri = _get(environ, "LDAP_SERVER_URI")
    if not uri:
        return {"LDAP_ENABLED": False, "LDAP_ROLE_MAP": {}}
    try:
        import ldap
        from django_auth_ldap import config as ldap_config
    except ImportError as error:
        raise ImproperlyConfigured(
            "LDAP_SERVER_URI задан, но вход через LDAP не установлен: "
            'pip install -e ".[ldap]" (нужны пакеты libldap2-dev и libsasl2-dev).'
        ) from error

    search_base = _get(environ, "LDAP_USER_SEARCH_BASE")
    if not search_base:
        raise ImproperlyConfigured("LDAP_SERVER_URI задан, а LDAP_USER_SEARCH_BASE — нет.")
    user_filter = _get(environ, "LDAP_USER_FILTER", "(uid=%(user)s)")
    result = {
        "LDAP_ENABLED": True,
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": _get(environ, "LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": _bool(environ, "LDAP_START_TLS", False),
        "AUTH_LDAP_USER_SEARCH": ldap_config.LDAPSearch(search_base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_USER_ATTR_MAP": {
            "first_name": _get(environ, "LDAP_ATTR_FIRST_NAME", "givenName"),
            "last_name": _get(environ, "LDAP_ATTR_LAST_NAME", "sn"),
            "email": _get(environ, "LDAP_ATTR_EMAIL", "mail"),
        },
        # Name and mail follow the directory at every login.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: float(_get(environ, "LDAP_TIMEOUT", "5")),
            ldap.OPT_TIMEOUT: float(_get(environ, "LDAP_TIMEOUT", "5")),
            ldap.OPT_REFERRALS: 0,  # Active Directory's referrals would hang the search
        },
        "LDAP_ROLE_MAP": {
            normalize_dn(group): pairs
            for group, pairs in parse_role_map(_get(environ, "LDAP_ROLE_MAP"), "LDAP_ROLE_MAP").items()
        },
        "AXES_USERNAME_CALLABLE": "vprplan.directory.config.axes_username",
    }
    if _get(environ, "LDAP_CA_FILE"):
        result["AUTH_LDAP_GLOBAL_OPTIONS"] = {ldap.OPT_X_TLS_CACERTFILE: _get(environ, "LDAP_CA_FILE")}
    group_base = _get(environ, "LDAP_GROUP_SEARCH_BASE")
    if group_base:
        kind = _get(environ, "LDAP_GROUP_TYPE", "groupOfNames")
        if kind not in LDAP_GROUP_TYPES:
            raise ImproperlyConfigured(f"LDAP_GROUP_TYPE: одно из {', '.join(LDAP_GROUP_TYPES)}.")
        class_name, object_filter = LDAP_GROUP_TYPES[kind]
        result["AUTH_LDAP_GROUP_SEARCH"] = ldap_config.LDAPSearch(
            group_base, ldap.SCOPE_SUBTREE, _get(environ, "LDAP_GROUP_FILTER", object_filter)
        )
        result["AUTH_LDAP_GROUP_TYPE"] = getattr(ldap_config, class_name)()
        if _get(environ, "LDAP_REQUIRE_GROUP"):
            result["AUTH_LDAP_REQUIRE_GROUP"] = _get(environ, "LDAP_REQUIRE_GROUP")
    elif _get(environ, "LDAP_ROLE_MAP") or _get(environ, "LDAP_REQUIRE_GROUP"):
        raise ImproperlyConfigured("LDAP_ROLE_MAP и LDAP_REQUIRE_GROUP требуют LDAP_GROUP_SEARCH_BASE.")
    return result


OIDC_REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


def oidc_settings(environ: Mapping[str, str]) -> dict:
    """OIDC_* for mozilla-django-oidc, or OIDC_ENABLED=False without OIDC_RP_CLIENT_ID."""
    if not _get(environ, "OIDC_RP_CLIENT_ID"):
        return {"OIDC_ENABLED": False, "OIDC_ROLE_MAP": {}}
    missing = [name for name in OIDC_REQUIRED if not _get(environ, name)]
    if missing:
        raise ImproperlyConfigured("Для входа через OpenID Connect задайте: " + ", ".join(missing) + ".")
    result = {name: _get(environ, name) for name in OIDC_REQUIRED}
    result.update(
        {
            "OIDC_ENABLED": True,
            "OIDC_PROVIDER_NAME": _get(environ, "OIDC_PROVIDER_NAME", "каталог организации"),
            "OIDC_RP_SIGN_ALGO": _get(environ, "OIDC_RP_SIGN_ALGO", "RS256"),
            "OIDC_RP_SCOPES": _get(environ, "OIDC_RP_SCOPES", "openid email profile"),
            "OIDC_USE_PKCE": _bool(environ, "OIDC_USE_PKCE", True),
            "OIDC_USERNAME_CLAIM": _get(environ, "OIDC_USERNAME_CLAIM", "preferred_username"),
            "OIDC_ROLES_CLAIM": _get(environ, "OIDC_ROLES_CLAIM", "groups"),
            "OIDC_ROLE_MAP": parse_role_map(_get(environ, "OIDC_ROLE_MAP"), "OIDC_ROLE_MAP"),
            "OIDC_TIMEOUT": float(_get(environ, "OIDC_TIMEOUT", "10")),
            "OIDC_VERIFY_SSL": _bool(environ, "OIDC_VERIFY_SSL", True),
        }
    )
    return result


def axes_username(request, credentials=None) -> str | None:
    """The name django-axes counts failed logins under while LDAP is on. The directory compares
    names without case, so the lockout does too: «Kruglova» and «KRUGLOVA» share her five tries."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "POST", {}).get("username")
    return name.strip().lower() if isinstance(name, str) else name


def backends(*, ldap_enabled: bool, oidc_enabled: bool) -> list[str]:
    """Axes first (a locked-out name + address is refused before any directory is asked), then
    local passwords, then the directories."""
    result = ["axes.backends.AxesStandaloneBackend", LOCAL_BACKEND]
    if ldap_enabled:
        result.append(LDAP_BACKEND)
    if oidc_enabled:
        result.append(OIDC_BACKEND)
    return result
