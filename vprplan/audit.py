"""The audit trail: one call in each service that changes something worth answering for."""

from vprplan.models import AuditEvent


def audit(actor, action: str, obj=None, *, organization=None, **data) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        organization=organization,
        data=data,
    )
