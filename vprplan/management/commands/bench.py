"""`manage.py bench [--quick] [--json FILE]`: every scenario of vprplan.bench against its anchor."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vprplan.bench import harness


class Command(BaseCommand):
    help = (
        "Замеры ключевых страниц на данных региона (1000 ОО × 5 лет; --quick: 100 ОО × 2 года) "
        "в сравнении с «потолком» — голым представлением тех же строк; печатает таблицу."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="Меньший масштаб, укладывается в минуту.")
        parser.add_argument("--json", type=Path, default=None, help="Записать результаты в этот файл JSON.")
        parser.add_argument(
            "-k", dest="only", default="", help="Только сценарии, в названии которых есть строка."
        )
        # For tests and experiments: another scale, another number of runs, another folder.
        parser.add_argument("--schools", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--years", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--repeat", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--dir", type=Path, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        for name in ("schools", "years", "repeat"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} должно быть не меньше 1.")
        config = harness.RunConfig.make(
            quick=options["quick"],
            schools=options["schools"],
            years=options["years"],
            repeat=options["repeat"],
        )
        log = self.stderr.write if options["verbosity"] > 0 else (lambda _: None)
        try:
            report = harness.run(config, directory=options["dir"], only=options["only"], log=log)
        except ValueError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(harness.table(report))
        self.stdout.write("\n" + harness.summary(report))
        if options["json"]:
            harness.write_json(report, options["json"])
            self.stdout.write(f"JSON: {options['json']}")
        failed = [r["name"] for r in report["scenarios"] if r["error"]]
        if failed:
            raise CommandError(f"Не удалось измерить: {', '.join(failed)}.")
