"""Forget the kept users (vprplan.userstore) whose memberships change: a membership given, changed
or taken away, or an organisation renamed, closed or reopened (memberships read only active
organisations, with their names). Connected from SchoolsConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from schools.models import Membership, Organization
from vprplan import userstore


@receiver(post_save, sender=Membership, dispatch_uid="schools.user_cache.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="schools.user_cache.membership_deleted")
def _membership_changed(sender, instance, **kwargs):
    userstore.forget([instance.user_id])


@receiver(post_save, sender=Organization, dispatch_uid="schools.user_cache.organization_saved")
def _organization_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    userstore.forget(Membership.objects.filter(organization=instance).values_list("user_id", flat=True))
