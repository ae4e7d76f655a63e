"""No audit action without a Russian label: every action written anywhere in the code (a literal
in an `audit(...)` call, either branch of a conditional, the actions passed through a helper, the
codes looked up with AuditEvent.objects) is a member of AuditAction, in the one naming style."""

import ast
import re
from pathlib import Path

import pytest

from vprplan.audit_actions import AuditAction, action_label

ROOT = Path(__file__).resolve().parents[2]
APPS = ("activities", "observers", "reports", "results", "schools", "vprplan")
STYLE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Functions that take the action from their caller and hand it to audit(): (name, argument index
# or keyword).
PASS_THROUGH = {"_transition": 3, "commit_import": "action"}


def _literals(node: ast.AST) -> list[str] | None:
    """The codes an argument can be; None when it is not a literal we can read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _literals(node.body), _literals(node.orelse)
        return None if a is None or b is None else a + b
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "AuditAction"
    ):
        return [AuditAction[node.attr].value]
    return None


def written_actions() -> tuple[dict[str, list[str]], list[str]]:
    found: dict[str, list[str]] = {}
    unreadable = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # Inside audit() itself and the helpers that pass the caller's action on (read at their calls).
            relayed = {
                id(n)
                for f in ast.walk(tree)
                if isinstance(f, ast.FunctionDef) and (f.name in PASS_THROUGH or path.name == "audit.py")
                for n in ast.walk(f)
            }
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                args = []
                if name == "audit" and len(node.args) >= 2:
                    args.append(node.args[1])
                elif name in PASS_THROUGH and isinstance(PASS_THROUGH[name], str):
                    args += [k.value for k in node.keywords if k.arg == PASS_THROUGH[name]]
                elif name in PASS_THROUGH and len(node.args) > PASS_THROUGH[name]:
                    args.append(node.args[PASS_THROUGH[name]])
                elif "AuditEvent" in ast.unparse(func):
                    args += [k.value for k in node.keywords if k.arg and k.arg.split("__")[0] == "action"]
                for arg in args:
                    if isinstance(arg, ast.List | ast.Tuple):
                        codes = [c for e in arg.elts for c in (_literals(e) or [None])]
                    else:
                        codes = _literals(arg)
                    if codes is None or None in codes:
                        if id(node) not in relayed:
                            unreadable.append(f"{where}: {ast.unparse(arg)}")
                        continue
                    for code in codes:
                        found.setdefault(code, []).append(where)
    return found, unreadable


def test_every_action_written_in_the_code_has_a_label(record_property):
    found, unreadable = written_actions()
    assert not unreadable, f"audit() with an action the test cannot read: {unreadable}"
    missing = {code: where for code, where in found.items() if code not in AuditAction.values}
    assert not missing, f"actions without a label in vprplan.audit_actions.AuditAction: {missing}"
    assert len(found) > 60  # the scan really reads the code
    record_property("audit_actions_written", len(found))
    record_property("audit_actions_labelled", len(AuditAction.values))


@pytest.mark.parametrize("action", list(AuditAction))
def test_one_style_and_a_russian_label(action):
    assert STYLE.match(action.value), action.value
    assert re.search("[а-яё]", action.label) and action.label != action.value
    assert action_label(action.value) == action.label


def test_the_migration_renames_to_labelled_codes_only():
    from importlib import import_module

    renamed = import_module("vprplan.migrations.0003_audit_action_codes").RENAMED
    assert set(renamed.values()) <= set(AuditAction.values)
    assert not set(renamed) & set(AuditAction.values)


@pytest.mark.django_db
def test_the_migration_renames_the_stored_codes():
    from importlib import import_module

    from django.apps import apps

    from vprplan.models import AuditEvent

    migration = import_module("vprplan.migrations.0003_audit_action_codes")
    old = AuditEvent.objects.create(action="observer_assign")
    kept = AuditEvent.objects.create(action="plan.approved")
    migration.forwards(apps, None)
    assert AuditEvent.objects.get(pk=old.pk).action == "observer.assigned"
    assert AuditEvent.objects.get(pk=kept.pk).action == "plan.approved"
    migration.backwards(apps, None)
    assert AuditEvent.objects.get(pk=old.pk).action == "observer_assign"


@pytest.mark.django_db
def test_the_admin_lists_actions_by_label(client, django_user_model):
    from django.urls import reverse

    from vprplan.audit import audit

    admin_user = django_user_model.objects.create_superuser("root9", password="x")
    audit(admin_user, AuditAction.OBSERVER_ASSIGNED)
    client.force_login(admin_user)
    html = client.get(reverse("admin:vprplan_auditevent_changelist") + "?action=observer.assigned").content.decode()
    assert "Наблюдатель назначен" in html and ">observer.assigned<" not in html
