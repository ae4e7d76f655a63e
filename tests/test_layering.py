"""The house's floors: each top-level package imports only the packages on floors below its own.

    vprplan (the ground: settings, celery, shared pieces)
    < schools < activities < observers, results < reports
    < portal (composition: root URLconf, home page, demo) < bench (development tools)

`bench` stands above `portal`: it measures the composed site (its URLconf extends portal.urls, the
load run loads the demo). Every import counts, at a module's top or inside a function. The code is
read with `ast`, nothing is imported. An import that runs up or sideways fails here: a lower floor
that must learn of something above it sends a signal, or keeps a registry that the upper app fills
from its apps.py.
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
    upward = sorted(upward_imports())
    assert not upward, "imports that run up or sideways (see the floors in this test's docstring):\n" + "\n".join(
        f"  {module} -> {name}" for module, name in upward
    )


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
