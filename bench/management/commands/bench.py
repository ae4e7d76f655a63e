"""`manage.py bench [--quick] [--json FILE]`: every scenario of the bench against its anchor.
`manage.py bench --load [--duration S] [--users N]`: every role at once against gunicorn on
PostgreSQL (bench.load), with a static file through the same server as the anchor."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench import harness, logins
from bench.load import runner


class Command(BaseCommand):
    help = (
        "Замеры ключевых страниц на данных региона (1000 ОО × 5 лет; --quick: 100 ОО × 2 года) "
        "в сравнении с «потолком» — голым представлением тех же строк; печатает таблицу. "
        "--load: нагрузочный прогон всех ролей через gunicorn и PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="Меньший масштаб, укладывается в минуту.")
        parser.add_argument("--json", type=Path, default=None, help="Записать результаты в этот файл JSON.")
        parser.add_argument(
            "-k", dest="only", default="", help="Только сценарии, в названии которых есть строка."
        )
        parser.add_argument(
            "--load",
            action="store_true",
            help="Нагрузочный прогон: gunicorn на PostgreSQL (база vprplan_load или <DATABASE_URL>_load), "
            "пользователи всех ролей (locust); выход с ошибкой при любом сбое или потерянной записи.",
        )
        parser.add_argument(
            "--login-cpu",
            action="store_true",
            help="Процессорное время одного входа: PBKDF2 (как было) и текущий хешер паролей.",
        )
        parser.add_argument("--duration", type=int, default=300, help="--load: секунд нагрузки (300).")
        parser.add_argument("--users", type=int, default=30, help="--load: одновременных пользователей (30).")
        parser.add_argument(
            "--spawn-rate", type=float, default=1.0, help="--load: новых пользователей в секунду."
        )
        parser.add_argument(
            "--workers", type=int, default=0, help="--load: процессов gunicorn (2 × ядра + 1)."
        )
        parser.add_argument(
            "--think",
            default=None,
            help="--load: пауза пользователя между страницами, с: 0 (замкнутый цикл), S или MIN,MAX "
            "(по умолчанию 1,5; с --capacity 0).",
        )
        parser.add_argument(
            "--capacity",
            default="",
            metavar="N,N,…",
            help="--load: ступени ёмкости (например 5,10,20,40): поток без пауз на каждой ступени, "
            "затем оба «якоря» (статический файл и минимальное представление Django) при том же числе "
            "пользователей; --step-seconds на ступень.",
        )
        parser.add_argument(
            "--step-seconds", type=int, default=30, help="--load --capacity: секунд на ступень."
        )
        parser.add_argument("--database", default="", help="--load: URL базы PostgreSQL (пересоздаётся).")
        parser.add_argument(
            "--redis", default="", help="--load: брокер Celery (по умолчанию задачи в процессе)."
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
        log = self.stderr.write if options["verbosity"] > 0 else (lambda _: None)
        if options["load"]:
            return self.load(options, log)
        if options["login_cpu"]:
            self.stdout.write(logins.table(logins.measure(repeat=options["repeat"] or 9)))
            return
        config = harness.RunConfig.make(
            quick=options["quick"],
            schools=options["schools"],
            years=options["years"],
            repeat=options["repeat"],
        )
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

    def load(self, options, log):
        roles = len(runner.ROLE_CLASSES)
        try:
            steps = tuple(int(n) for n in options["capacity"].split(",") if n.strip())
        except ValueError:
            raise CommandError(
                "--capacity: числа пользователей через запятую, например 5,10,20,40."
            ) from None
        if options["duration"] < 1 or options["users"] < roles or (steps and max(steps) < roles):
            raise CommandError(
                f"--duration не меньше 1, --users и последняя ступень --capacity не меньше {roles} "
                "(по одному на роль)."
            )
        if any(n < 1 for n in steps):
            raise CommandError("--capacity: ступени не меньше 1 пользователя.")
        if options["step_seconds"] < 3:
            raise CommandError("--step-seconds не меньше 3.")
        try:
            think = runner.think_time(options["think"] or ("0" if steps else "1,5"))
        except ValueError as e:
            raise CommandError(f"--think: {e}") from e
        config = runner.LoadConfig(
            wait=think,
            steps=steps,
            step_seconds=options["step_seconds"],
            duration=options["duration"],
            users=options["users"],
            spawn_rate=options["spawn_rate"],
            workers=options["workers"],
            schools=options["schools"] or runner.LoadConfig.schools,
            years=options["years"] or runner.LoadConfig.years,
            database_url=options["database"],
            redis_url=options["redis"],
            **({"directory": options["dir"]} if options["dir"] else {}),
        )
        try:
            report = runner.run(config, log=log)
        except runner.LoadError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(runner.table(report))
        self.stdout.write("\n" + runner.summary(report))
        if options["json"]:
            harness.write_json(report, options["json"])
            self.stdout.write(f"JSON: {options['json']}")
        # The paced run must reach every role; a capacity step of a few users cannot (locust
        # shares users out by the roles' weights), so there only errors count.
        silent = [role for role, n in report["by_role"].items() if n == 0 and report["mode"] == "load"]
        if report["errors"] or silent:
            raise CommandError(
                f"Нагрузочный прогон: ошибок {report['errors']}"
                + (f", без запросов: {', '.join(silent)}" if silent else "")
                + "."
            )
