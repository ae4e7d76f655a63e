"""Login through the organisation's directory: LDAP / Active Directory (django-auth-ldap) and
OpenID Connect (mozilla-django-oidc; Keycloak can broker ЕСИА through it). Both are off unless
their environment variables are set (config.py, README «Вход через каталог организации»).

A directory user's account is made at his first login without roles; roles stay memberships given
in vprplan, except the (organisation, role) pairs named in LDAP_ROLE_MAP / OIDC_ROLE_MAP, which
follow the directory's groups (claims) at every login (roles.py).
"""
