"""Helpers of the operations tests (issue 20): the binaries a test needs, and the Celery messages
waiting in a Redis list, read without a worker."""

import base64
import json
import shutil

import pytest
from django.conf import settings


def require_binary(name: str, *, package: str) -> str:
    """The program's path; skip without it locally, fail under CI=true (bin/test installs it)."""
    path = shutil.which(name) or (f"/usr/sbin/{name}" if shutil.which(f"/usr/sbin/{name}") else None)
    if path is None:
        message = f"{name} is not installed (Debian package {package})"
        if settings.TEST_REQUIRE_SERVICES:
            pytest.fail(message + " (CI=true: a service test may not skip)")
        pytest.skip(message)
    return path


def take_messages(connection, queue: str) -> list[dict]:
    """Pop every message waiting in `queue` (kombu's Redis transport: a list of JSON envelopes):
    [{"task", "id", "args", "kwargs"}, …] in the order they were sent."""
    found = []
    while True:
        raw = connection.rpop(queue)  # kombu LPUSHes and its consumers BRPOP: the oldest is right
        if raw is None:
            return found
        envelope = json.loads(raw)
        body = envelope["body"]
        if envelope.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, kwargs, _ = json.loads(body)
        headers = envelope.get("headers", {})
        found.append({"task": headers.get("task"), "id": headers.get("id"), "args": args, "kwargs": kwargs})
