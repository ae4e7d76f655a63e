import pytest

from activities.models import ResponsiblePerson, ResponsibleRole
from portal.demo import RESPONSIBLE_ROLES
from tests.reports.signing.pki import make_pki


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


@pytest.fixture(scope="session")
def pki():
    """A test root and a head's certificate, ГОСТ Р 34.10-2012 256 bits, made for this run."""
    return make_pki(256)


@pytest.fixture(scope="session")
def pki_512():
    return make_pki(512)


@pytest.fixture
def trusted_roots(settings, tmp_path, pki, pki_512):
    """SIGNING_TRUSTED_ROOTS_DIR holds the two test roots, as the administrator would load them."""
    directory = tmp_path / "roots"
    pki.write_roots(directory)
    (directory / "root-512.cer").write_bytes(pki_512.root.dump())
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(directory)
    return directory
