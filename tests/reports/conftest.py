import pytest

from activities.models import ResponsiblePerson, ResponsibleRole
from vprplan.demo import RESPONSIBLE_ROLES


@pytest.fixture
def catalogue(db):
    """The shared responsible-role catalogue of the demo."""
    return [
        ResponsibleRole.objects.create(name=name, acting_role=acting, level=level)
        for name, acting, level in RESPONSIBLE_ROLES
    ]


@pytest.fixture
def filchuk(world):
    return ResponsiblePerson.objects.create(
        organization=world.m1, name="Фильчук Л.А.", position="ведущий специалист РУО"
    )
