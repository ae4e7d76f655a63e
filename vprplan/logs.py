"""Logs: one JSON object per line in production, with the request id that a job carries on.

Every request gets an id: the `X-Request-ID` a trusted reverse proxy sent (TRUSTED_PROXY_COUNT > 0
and a sane value: up to 64 letters, digits, «-», «_», «.»), else a new one; it is sent back in the
`X-Request-ID` header of the answer and put on every log line written while the request runs.
`vprplan.jobs.enqueue` stores it with the job; the worker that runs the job puts it (and the job's
id) on its log lines, so one id follows a click from nginx to the worker.

LOG_FORMAT=json gives one JSON object per line (time, level, logger, message, request_id, job_id,
and the traceback as `exc`); LOG_FORMAT=plain the console lines. The default is plain in DEBUG and
JSON otherwise.
"""

import json
import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings

request_id_var: ContextVar[str] = ContextVar("vprplan_request_id", default="")
job_id_var: ContextVar[str] = ContextVar("vprplan_job_id", default="")

HEADER = "X-Request-ID"
VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return request_id_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def job_context(*, job_id: str, request_id: str = ""):
    """Within the block, log lines carry the job's id and the request id it was asked for with."""
    tokens = (job_id_var.set(job_id), request_id_var.set(request_id))
    try:
        yield
    finally:
        job_id_var.reset(tokens[0])
        request_id_var.reset(tokens[1])


class RequestIdMiddleware:
    """First of the middleware: the request's id for its log lines and the answer's header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        trusted = settings.TRUSTED_PROXY_COUNT > 0 and VALID.match(given)
        request_id = given if trusted else new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


class ContextFilter(logging.Filter):
    """Puts `request_id` and `job_id` on every record (empty outside a request or a job)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        if not getattr(record, "job_id", ""):
            record.job_id = job_id_var.get()
        ids = [f"request_id={record.request_id}" if record.request_id else "",
               f"job_id={record.job_id}" if record.job_id else ""]  # fmt: skip
        record.ids = f" [{' '.join(i for i in ids if i)}]" if any(ids) else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ("request_id", "job_id"):
            value = getattr(record, field, "")
            if value:
                entry[field] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING setting: `fmt` is «json» or «plain»."""
    plain = "%(asctime)s %(levelname)s %(name)s %(message)s%(ids)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "vprplan.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "vprplan.logs.JsonFormatter"},
            "plain": {"format": plain},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": "json" if fmt == "json" else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # Libraries that tell at INFO what each process does at start (their versions, their
            # dictionaries, the reloader): noise in every worker's log.
            **{name: {"level": "WARNING"} for name in ("axes.apps", "pymorphy3", "django.utils.autoreload")},
        },
    }
