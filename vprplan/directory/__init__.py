"""Login through the organisation's directory: LDAP / Active Directory (django-auth-ldap) and
OpenID Connect (mozilla-django-oidc; Keycloak can broker ЕСИА through it). Both are off unless
their environment variables are set (config.py, README «Вход через каталог организации»).

Here, in the ground, are the settings read from the environment (config.py, which settings.py
imports) and the OpenID Connect pages (views.py). The backends and the roles they give are
schools.directory's, since they make accounts and grant Memberships: a directory user's account is
made at his first login without roles; roles stay memberships given in vprplan, except the
(organisation, role) pairs named in LDAP_ROLE_MAP / OIDC_ROLE_MAP, which follow the directory's
groups (claims) at every login (schools/directory/roles.py).
"""
