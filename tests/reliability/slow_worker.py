"""`celery -A vprplan worker --pool=solo`, for the fault tests only: with a delay argument the
order job sleeps that long between rendering the PDF and signing it, long enough to be killed in
the middle (the delay lives here, in the tests, not in the application)."""

import sys
import time

import django


def main() -> None:
    delay = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    django.setup()
    if delay:
        from reports.orders import services

        real = services.render_order

        def slow_render_order(*args, **kwargs):
            rendered = real(*args, **kwargs)
            time.sleep(delay)
            return rendered

        # Where the job calls it: services imported the name (`from … import render_order`), and
        # django.setup() has imported services already, so patching reports.orders.render is too late.
        services.render_order = slow_render_order
    from vprplan.celery import app

    app.worker_main(["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle"])


if __name__ == "__main__":
    main()
