"""The house's floors: each top-level package imports only the packages on floors below its own.

    vprplan (the ground: settings, celery, shared pieces)
    < schools < activities < observers, results < reports
    < portal (composition: root URLconf, home page, demo) < bench (development tools)

`bench` stands above `portal`: it measures the composed site (its URLconf extends portal.urls, the
load run loads the demo). Every import counts, at a module's top or inside a function. The code is
read with `ast`, nothing is imported. The imports that still run up or sideways today are listed
in ALLOWED; once a part of issue 22 removes one, its line goes, and the list ends empty. A new
upward import fails here.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOORS = {
    "vprplan": 0,
    "schools": 1,
    "activities": 2,
    "observers": 3,
    "results": 3,
    "reports": 4,
    "portal": 5,
    "bench": 6,
}

# (importing module, imported module) pairs that still break the order. Remove a line when its
# import goes; never add one.
ALLOWED = {
    # vprplan/access.py is the `access` helper's (issue 22): it is made to import no app there.
    ("vprplan.access", "schools.choices"),
    ("vprplan.access", "schools.models"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module name an import statement of the file names (relative imports resolved)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                names.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.add(node.module)
    return names


def upward_imports() -> set[tuple[str, str]]:
    """(module, imported module) for each import of a package on the same floor or above."""
    found = set()
    for package, floor in FLOORS.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            module = _module_name(path)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for name in _imported(tree, module, path.name == "__init__.py"):
                top = name.split(".")[0]
                if top in FLOORS and top != package and FLOORS[top] >= floor:
                    found.add((module, name))
    return found


def test_every_package_imports_only_the_floors_below_it():
    new = sorted(upward_imports() - ALLOWED)
    assert not new, "imports that run up or sideways (see the floors in this test's docstring):\n" + "\n".join(
        f"  {module} -> {name}" for module, name in new
    )


def test_the_ground_imports_no_app_but_access():
    """vprplan/ names the apps only as strings (settings, URL names); access.py is the last
    module to import one, and the `access` helper removes it."""
    offenders = {module for module, _ in upward_imports() if module.startswith("vprplan.")}
    assert offenders <= {"vprplan.access"}, sorted(offenders)


def test_the_allow_list_holds_no_import_that_is_gone():
    """A line of ALLOWED whose import was removed goes too, so the list only shrinks."""
    stale = sorted(ALLOWED - upward_imports())
    assert not stale, "remove from ALLOWED: " + ", ".join(f"{m} -> {n}" for m, n in stale)


def test_the_walk_sees_an_upward_import(tmp_path, monkeypatch):
    """The walk itself: an import of schools in a module of the ground is found, at a module's top
    and inside a function, and a relative import is resolved."""
    for name in ("vprplan", "schools"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "vprplan" / "top.py").write_text("from schools.models import Membership\n")
    (tmp_path / "vprplan" / "inner.py").write_text("def f():\n    import schools.choices\n")
    (tmp_path / "schools" / "rel.py").write_text("from . import models\nfrom vprplan import roles\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert upward_imports() == {
        ("vprplan.top", "schools.models"),
        ("vprplan.inner", "schools.choices"),
    }
