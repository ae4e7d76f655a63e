import pytest

from tests.reliability.ops import require_binary
from tests.reliability.servers import Redis


@pytest.fixture
def redis_server():
    """A redis-server of the test's own, to stop and start (the machine's shared one stays up)."""
    require_binary("redis-server", package="redis-server")
    server = Redis()
    server.start()
    yield server
    server.stop()
