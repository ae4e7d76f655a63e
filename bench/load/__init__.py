"""The load test: every demo role at once against gunicorn on PostgreSQL (`manage.py bench --load`).

Unlike the bench's scenarios, which time one page against its anchor in-process, this is
a throughput run: a fresh database (`prepare`), gunicorn on a loopback port, locust headless in a
subprocess (`locustfile`; locust monkey-patches with gevent, so it never runs in this process), and
a bare loopback request measured in the same run as the anchor (`runner`).
"""
