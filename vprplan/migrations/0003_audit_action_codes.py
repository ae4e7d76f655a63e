"""The audit actions written in the other style («observer_assign») get the one style of
vprplan.audit_actions.AuditAction («observer.assigned»); reversible."""

from django.db import migrations

# Frozen here: the enumeration may change later, this migration must not.
RENAMED = {
    "act_submit": "act.submitted",
    "assignment_remove": "assignment.removed",
    "assignment_status": "assignment.status_changed",
    "assignments_suggested": "assignment.suggestions_applied",
    "flag_create": "flag.created",
    "flag_update": "flag.changed",
    "flags_import": "flag.imported",
    "observer_assign": "observer.assigned",
    "observer_create": "observer.created",
    "observer_update": "observer.changed",
    "recheck_create": "recheck.created",
    "recheck_expert_add": "recheck.expert_added",
    "recheck_finish": "recheck.finished",
    "recheck_work_add": "recheck.work_added",
    "recheck_work_score": "recheck.work_scored",
    "vpr_results_import": "results.imported",
    "vpr_schedule_import": "vpr_session.imported",
    "vpr_session_create": "vpr_session.created",
    "vpr_session_update": "vpr_session.changed",
    "vpr_session_delete": "vpr_session.deleted",
}


def rename(apps, mapping):
    events = apps.get_model("vprplan", "AuditEvent").objects
    for old, new in mapping.items():
        events.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("vprplan", "0002_job_lease")]

    operations = [migrations.RunPython(forwards, backwards)]
