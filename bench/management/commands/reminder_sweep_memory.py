"""`python manage.py reminder_sweep_memory [--schools 10 1000] [--years 5]`: one reminder sweep
of the bench's region at each scale, rolled back, with its peak traced memory (tracemalloc) and
time, against one SQL COUNT of the same due executions. The sweep reads a page of recipients at a
time, so the peak should stay flat while the data grows a hundredfold.

Uses the bench databases (bench-results/, made once per scale like `manage.py bench`).
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.test import override_settings


class Command(BaseCommand):
    help = "Пиковая память и время рассылки напоминаний на данных бенчмарка при двух масштабах."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, nargs="+", default=[10, 1000])
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--dir", default=None, help="каталог баз бенчмарка (по умолчанию bench-results/)")
        parser.add_argument("--json", dest="as_json", action="store_true")

    def handle(self, *args, schools, years, dir=None, as_json=False, **options):
        from activities.reminders.sources import due_executions
        from bench.database import Scale, bench_database
        from bench.registry import Context
        from bench.scenarios.reminders import measure_memory, sweep_day, sweep_rolled_back

        rows = []
        for n in schools:
            with (
                override_settings(DEBUG=False),
                bench_database(
                    Scale(n, years), directory=Path(dir) if dir else None, log=self.stderr.write
                ) as data,
            ):
                ctx = Context(data)
                day = sweep_day(ctx)
                sweep_rolled_back(data.region, day)  # warm: templates, imports, caches
                started = time.perf_counter()
                sweep_rolled_back(data.region, day)
                untraced = time.perf_counter() - started
                started = time.perf_counter()
                due_executions(region_id=data.region, today=day).count()
                count_s = time.perf_counter() - started
                memory = measure_memory(data.region, day)
                rows.append(
                    {
                        "schools": n,
                        "years": years,
                        "sweep_s": round(untraced, 2),
                        "count_ms": round(count_s * 1000, 1),
                        **memory,
                    }  # fmt: skip
                )
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        self.stdout.write(
            "| schools × years | due executions | mails | reminders | sweep, s | COUNT, ms | peak traced memory, MB |\n"
            "|---|---:|---:|---:|---:|---:|---:|"
        )
        for r in rows:
            self.stdout.write(
                f"| {r['schools']} × {r['years']} | {r['due']} | {r['mails']} | {r['sent']} | "
                f"{r['sweep_s']:.2f} | {r['count_ms']:.1f} | {r['peak_mb']:.2f} |"
            )
