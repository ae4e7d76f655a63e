"""The audit of role changes: a Membership created, changed or deleted is written to the audit
log when the actor is known (a request, or `vprplan.security.acting_as(user)`), by the same rule as
a user's admin flags in vprplan.security. Connected from SchoolsConfig.ready()."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from schools.models import Membership, Organization
from vprplan.audit import audit
from vprplan.models import AuditEvent
from vprplan.security import current_actor


def _membership_data(m: Membership) -> dict:
    return {"user": m.user.get_username(), "user_id": m.user_id, "role": m.role}


@receiver(pre_save, sender=Membership, dispatch_uid="schools.membership_audit.membership_pre")
def _membership_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or current_actor() is None:
        return
    instance._vprplan_before = (
        Membership.objects.filter(pk=instance.pk).values("role", "organization_id", "position").first()
    )


@receiver(post_save, sender=Membership, dispatch_uid="schools.membership_audit.membership_post")
def _membership_saved(sender, instance, created, raw=False, **kwargs):
    actor = current_actor()
    if raw or actor is None:
        return
    data = _membership_data(instance)
    if created:
        audit(actor, "membership.created", instance, organization=instance.organization, **data)
        return
    before = getattr(instance, "_vprplan_before", None) or {}
    changes = {
        field: [before.get(field), getattr(instance, field)]
        for field in ("role", "organization_id", "position")
        if field in before and before[field] != getattr(instance, field)
    }
    if changes:
        audit(
            actor, "membership.changed", instance, organization=instance.organization, changes=changes, **data
        )


@receiver(post_delete, sender=Membership, dispatch_uid="schools.membership_audit.membership_delete")
def _membership_deleted(sender, instance, **kwargs):
    actor = current_actor()
    if actor is None:
        return
    data = {"user_id": instance.user_id, "role": instance.role, "organization_id": instance.organization_id}
    pk = str(instance.pk)

    def write():
        # After commit: the organisation may be going away in the same transaction (a cascade).
        AuditEvent.objects.create(
            actor=actor,
            action="membership.deleted",
            object_type=Membership._meta.label_lower,
            object_id=pk,
            organization=Organization.objects.filter(pk=data["organization_id"]).first(),
            data=data,
        )

    transaction.on_commit(write)


