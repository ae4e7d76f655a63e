"""The audit trail: one call in each service that changes something worth answering for."""

from vprplan.audit_actions import AuditAction
from vprplan.models import AuditEvent


def audit(actor, action: AuditAction | str, obj=None, *, organization=None, **data) -> AuditEvent:
    """Write one line of the trail. `action` is an AuditAction (or its value): every action has a
    Russian label there, and tests/vprplan/test_audit_actions.py keeps it so for every call."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        organization=organization,
        data=data,
    )
