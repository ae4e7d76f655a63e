"""`manage.py generate_scale_data --schools N [--years Y]`: a synthetic region in a bench database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.data import PASSWORD
from bench.database import Scale, bench_database, describe, settings_for


class Command(BaseCommand):
    help = (
        "Создаёт синтетический регион заданного размера в отдельной базе для нагрузочных замеров "
        "(bench-results/ или <база>_bench_… в PostgreSQL); рабочую базу не трогает."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, required=True, help="Сколько школ (ОО) в регионе.")
        parser.add_argument(
            "--years", type=int, default=5, help="Сколько учебных лет планов (по умолчанию 5)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Создать данные заново, даже если они уже есть."
        )
        parser.add_argument("--dir", type=Path, default=None, help="Папка для баз SQLite (bench-results/).")

    def handle(self, *args, **options):
        if options["schools"] < 1 or options["years"] < 1:
            raise CommandError("--schools и --years должны быть не меньше 1.")
        scale = Scale(options["schools"], options["years"])
        with bench_database(
            scale, directory=options["dir"], force=options["force"], log=self.stdout.write
        ) as ds:
            counts = ds.counts
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>9,}".replace(",", " "))
        where = describe(settings_for(scale, options["dir"]))
        self.stdout.write(
            self.style.SUCCESS(f"Готово: {where}, данные созданы за {ds.generated_in_s:.1f} с.")
            + f"\nПосмотреть в браузере: DATABASE_URL={'sqlite:///' + where if '://' not in where else where} "
            f"python manage.py runserver; пользователи bench-admin-1, bench-bm001-coordinator, …, "
            f"пароль {PASSWORD}."
        )
