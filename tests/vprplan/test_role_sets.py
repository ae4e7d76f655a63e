"""Every role set is a capability of vprplan/access.py: a set, tuple or list of `Role` members, or
`has_role(…, Role.…)` with literal roles, anywhere else in the apps fails here.

Left out: the tests, the migrations, vprplan/roles.py (the vocabulary itself: ROLE_ORG_KIND,
MUNICIPAL_STAFF), the demo data and the benchmark's generated people (they seat users, they grant
nothing)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests", "bench", "node_modules", "static", "templates", "docs"}
ALLOWED = {Path("vprplan/access.py"), Path("vprplan/roles.py")}


def _is_role(node: ast.AST) -> bool:
    """`Role.X` or `choices.Role.X`."""
    if not isinstance(node, ast.Attribute):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "Role") or (
        isinstance(owner, ast.Attribute) and owner.attr == "Role"
    )


def role_sets(tree: ast.AST) -> list[int]:
    """The line numbers of literal role sets and of role checks with literal roles in `tree`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)) and node.elts:
            roles = [e for e in node.elts if _is_role(e)]
            if roles and all(_is_role(e) or isinstance(e, ast.Starred) for e in node.elts):
                found.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"has_role", "holds_role_in"} and any(_is_role(a) for a in node.args):
                found.append(node.lineno)
    return found


def app_modules() -> list[Path]:
    modules = []
    for package in sorted(ROOT.iterdir()):
        if not (package / "__init__.py").exists() or package.name in NOT_APPS or package.name.startswith("."):
            continue
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(ROOT)
            parts = set(relative.parts)
            if "migrations" in parts or "bench" in parts or "tests" in parts:
                continue
            if relative in ALLOWED or path.name.startswith("demo"):
                continue
            modules.append(relative)
    return modules


@pytest.mark.parametrize(
    "source",
    [
        "READERS = frozenset({Role.HEAD, Role.MUNICIPAL_COORDINATOR})",
        "TASK_ROLES = (Role.SCHOOL_COORDINATOR, Role.SPECIALIST)",
        "x = m.role in [Role.HEAD]",
        "READERS = {Role.REGIONAL_ADMIN, *MUNICIPAL_STAFF}",
        "ok = access.has_role(user, Role.OBSERVER)",
        "ok = holds_role_in(user, org.pk, choices.Role.HEAD)",
    ],
)
def test_the_walk_finds_a_role_set(source):
    assert role_sets(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "ok = m.role == Role.HEAD",
        "ok = access.can(user, access.READ_ORDERS)",
        "pairs = [(Role.HEAD, 'h')]",
        "x = (OrgKind.REGION, OrgKind.MUNICIPALITY)",
    ],
)
def test_the_walk_leaves_other_code_alone(source):
    assert not role_sets(ast.parse(source))


def test_the_walk_covers_the_apps():
    names = {str(p) for p in app_modules()}
    assert {"activities/selectors.py", "reports/orders/selectors.py", "vprplan/audit_log.py"} <= names


def test_no_role_set_outside_access():
    found = {
        str(path): lines
        for path in app_modules()
        if (lines := role_sets(ast.parse((ROOT / path).read_text(encoding="utf-8"))))
    }
    assert found == {}, "role sets belong in vprplan/access.py as capabilities"
