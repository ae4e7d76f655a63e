"""Real directory servers for the login tests, started as children on free loopback ports and
stopped by the tests: OpenLDAP's slapd (Debian) from a slapd.conf in a temporary folder, loaded with
ldapadd; and an OpenID Connect provider (the npm package oidc-provider) run by node."""

import base64
import json
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tests.ports import ServerUnavailable, free_port, wait_port

HERE = Path(__file__).resolve().parent
OIDC_DIR = HERE / "oidc"
SCHEMAS = Path("/etc/ldap/schema")
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"

SUFFIX = "dc=vprplan,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"


def _stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _ldif_value(name: str, value: str) -> str:
    if value.isascii() and not value.startswith((" ", ":", "<")):
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode()).decode()}"


def ldif(entries: list[dict]) -> str:
    blocks = []
    for entry in entries:
        lines = [f"dn: {entry['dn']}"]
        for name, values in entry.items():
            if name == "dn":
                continue
            for value in values if isinstance(values, list) else [values]:
                lines.append(_ldif_value(name, value))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


class Slapd:
    """slapd with an mdb database under SUFFIX, people in ou=people (uid=…, inetOrgPerson) and
    groups in ou=groups (groupOfNames)."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="vprplan-slapd-"))
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self) -> None:
        if not Path(SLAPD).exists() or not shutil.which("ldapadd"):
            raise ServerUnavailable("slapd or ldapadd is not installed (apt-get install slapd ldap-utils)")
        (self.dir / "data").mkdir()
        conf = self.dir / "slapd.conf"
        conf.write_text(
            "\n".join(
                [
                    *(
                        f"include {SCHEMAS / name}.schema"
                        for name in ("core", "cosine", "inetorgperson", "nis")
                    ),
                    f"pidfile {self.dir / 'slapd.pid'}",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "database mdb",
                    "maxsize 10485760",
                    f'suffix "{SUFFIX}"',
                    f'rootdn "{ROOT_DN}"',
                    f"rootpw {ROOT_PASSWORD}",
                    f"directory {self.dir / 'data'}",
                    "",
                ]
            )
        )
        self.log = open(self.dir / "slapd.log", "wb")
        # -d 0: stay in the foreground (a child we can stop), logging nothing.
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(conf), "-h", f"{self.uri}/", "-d", "0"], stdout=self.log, stderr=self.log
        )
        try:
            wait_port(self.port, process=self.process)
        except ServerUnavailable as error:
            log = (self.dir / "slapd.log").read_text(errors="replace")[-2000:]
            self.stop()
            raise ServerUnavailable(f"slapd: {error}: {log}") from None
        self.add(
            [
                {"dn": SUFFIX, "objectClass": ["dcObject", "organization"], "dc": "vprplan", "o": "vprplan"},
                {"dn": PEOPLE, "objectClass": "organizationalUnit", "ou": "people"},
                {"dn": GROUPS, "objectClass": "organizationalUnit", "ou": "groups"},
            ]
        )

    def add(self, entries: list[dict]) -> None:
        result = subprocess.run(
            ["ldapadd", "-x", "-H", self.uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD],
            input=ldif(entries).encode(),
            capture_output=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise AssertionError(f"ldapadd failed: {result.stderr.decode()}")

    def add_person(self, uid: str, password: str, *, first_name: str, last_name: str, email: str) -> str:
        dn = f"uid={uid},{PEOPLE}"
        self.add(
            [
                {
                    "dn": dn,
                    "objectClass": "inetOrgPerson",
                    "uid": uid,
                    "cn": f"{first_name} {last_name}",
                    "givenName": first_name,
                    "sn": last_name,
                    "mail": email,
                    "userPassword": password,
                }
            ]
        )
        return dn

    def add_group(self, name: str, members: list[str]) -> str:
        dn = f"cn={name},{GROUPS}"
        self.add([{"dn": dn, "objectClass": "groupOfNames", "cn": name, "member": members}])
        return dn

    def modify(self, dn: str, operation: str, attribute: str, value: str) -> None:
        """ldapmodify one value: operation is add, delete or replace."""
        change = f"dn: {dn}\nchangetype: modify\n{operation}: {attribute}\n{_ldif_value(attribute, value)}\n"
        result = subprocess.run(
            ["ldapmodify", "-x", "-H", self.uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD],
            input=change.encode(),
            capture_output=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise AssertionError(f"ldapmodify failed: {result.stderr.decode()}")

    def stop(self) -> None:
        _stop(self.process)
        if self.log is not None:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class OIDCProvider:
    """oidc-provider (tests/directory/oidc/provider.mjs) with one client and the given accounts:
    {login: {"password": …, "claims": {…}}}."""

    def __init__(
        self, *, redirect_uri: str, accounts: dict, client_id="vprplan", client_secret="client-secret-1"
    ):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = client_id
        self.client_secret = client_secret
        self.config = {
            "port": self.port,
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": redirect_uri,
            "accounts": accounts,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        node = shutil.which("node")
        if not node:
            raise ServerUnavailable("node is not installed (apt-get install nodejs npm)")
        if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
            raise ServerUnavailable(
                "oidc-provider is not installed: npm ci in tests/directory/oidc (bin/test does)"
            )
        self.process = subprocess.Popen(
            [node, str(OIDC_DIR / "provider.mjs"), json.dumps(self.config)],
            cwd=OIDC_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_port(self.port, process=self.process)
        except ServerUnavailable as error:
            output = self.process.stdout.read().decode() if self.process.stdout else ""
            self.stop()
            raise ServerUnavailable(f"oidc-provider: {error}: {output[-2000:]}") from None

    def environ(self, **extra) -> dict:
        """The variables a deployment sets for this provider (README)."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            **extra,
        }

    def stop(self) -> None:
        _stop(self.process)
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
