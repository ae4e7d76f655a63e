"""The directory login's backends (LDAP, OpenID Connect) and the roles they give: an account made
at the first directory login, and the Memberships that follow the directory's groups (roles.py).
Their settings are read from the environment by vprplan.directory.config (settings.py imports it);
the OpenID Connect pages are vprplan.directory.views."""
