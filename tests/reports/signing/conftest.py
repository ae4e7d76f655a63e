import pytest

from tests.reports.signing.pki import make_pki


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
