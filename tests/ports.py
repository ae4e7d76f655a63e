"""Loopback ports for the servers the tests start (PostgreSQL, Redis, slapd, oidc-provider, moto,
gunicorn, nginx): a free one, and waiting until a server has opened or closed it."""

import socket
import subprocess
import time


class ServerUnavailable(Exception):
    """A server the test started did not come up (its program exited, or its port stayed shut)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(
    port: int, *, process: subprocess.Popen | None = None, up: bool = True, timeout: float = 20
) -> None:
    """Until the port is open (`up`) or shut; `process` exiting first means it never will be."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if up and process is not None and process.poll() is not None:
            raise ServerUnavailable(f"exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise ServerUnavailable(f"port {port} is not {'open' if up else 'shut'} after {timeout}s")
