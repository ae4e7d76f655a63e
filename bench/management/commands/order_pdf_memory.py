"""`python manage.py order_pdf_memory`: peak memory of rendering and signing an order with a
150-activity appendix, against the bench's anchors, each in a fresh process (peak RSS only grows,
so one process per measurement). The bench harness reports time and queries; this reports memory.

Uses the bench's database of 10 schools × 1 year (made once under bench-results/, like `bench`).
"""

import json
import resource
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

MODES = ["ours", "minimal", "soffice"]
LABELS = {
    "ours": "ours: render, sign, check, store (rolled back)",
    "minimal": "WeasyPrint, the same table, minimal CSS",
    "soffice": "LibreOffice: .docx export → PDF",
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


class Command(BaseCommand):
    help = "Пиковая память формирования и подписи приказа (150 мероприятий) по сравнению с якорями бенчмарка."

    def add_arguments(self, parser):
        parser.add_argument("--mode", choices=MODES, help="измерить один способ в этом процессе")
        parser.add_argument("--dir", default=None, help="каталог баз бенчмарка (по умолчанию bench-results/)")

    def handle(self, *args, mode=None, dir=None, **options):
        if mode:
            self.stdout.write(json.dumps(self.measure(mode, dir)))
            return
        self.stdout.write("| what | s | peak RSS, MB | growth during the run, MB |\n|---|---:|---:|---:|")
        for name in MODES:
            command = [sys.executable, "manage.py", "order_pdf_memory", "--mode", name]
            if dir:
                command += ["--dir", dir]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if done.returncode or not lines:
                self.stdout.write(f"| {LABELS[name]} | – | – | – (failed: {done.stderr.strip()[-200:]}) |")
                continue
            r = json.loads(lines[-1])
            if r.get("unavailable"):
                self.stdout.write(f"| {LABELS[name]} | – | – | – ({r['unavailable']}) |")
                continue
            self.stdout.write(
                f"| {LABELS[name]} | {r['s']:.2f} | {r['peak_mb']:.0f} | {r['growth_mb']:.0f} |"
            )

    def measure(self, mode: str, directory) -> dict:
        import shutil
        from pathlib import Path

        from bench.database import Scale, bench_database
        from bench.registry import Context
        from bench.scenarios import orders

        if mode == "soffice" and not (shutil.which("soffice") or shutil.which("libreoffice")):
            return {"unavailable": "LibreOffice is not installed"}
        where = Path(directory) if directory else None
        with bench_database(Scale(10, 1), directory=where, log=lambda *a: None) as data:
            ctx = Context(data, quick=True)
            order = orders.bench_order(ctx)
            run = {
                "ours": lambda: orders.ours_job(ctx, order),
                "minimal": lambda: orders.minimal_weasyprint(data.plan),
                "soffice": lambda: orders.soffice_anchor(order),
            }[mode]()
            import pyhanko.sign  # noqa: F401  (libraries loaded before the baseline, as in a worker)
            import weasyprint  # noqa: F401

            before = _rss_mb()
            started = time.perf_counter()
            run()
            seconds = time.perf_counter() - started
            peak = _rss_mb()
        return {"mode": mode, "s": seconds, "peak_mb": peak, "growth_mb": peak - before}
