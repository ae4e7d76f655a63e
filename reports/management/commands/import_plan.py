"""`python manage.py import_plan FILE --owner CODE [--dry-run] [--json]` (DESIGN.md §4)."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities.models import Activity, Plan
from reports.imports.draft import read_plan
from reports.imports.errors import ImportFileError
from reports.imports.preview import build_preview
from reports.imports.services import PlanImportError, plan_import
from schools.models import Organization


class Command(BaseCommand):
    help = "Загружает план мероприятий из .docx, .xlsx или .csv для организации с кодом CODE."

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл плана: .docx, .xlsx или .csv")
        parser.add_argument("--owner", required=True, metavar="CODE", help="код организации (например, inta)")
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")
        parser.add_argument("--json", action="store_true", help="вывести результат одним объектом JSON")
        parser.add_argument("--title", help="наименование плана вместо прочитанного из файла")
        parser.add_argument("--period-start", type=date.fromisoformat, help="начало периода, ГГГГ-ММ-ДД")
        parser.add_argument("--period-end", type=date.fromisoformat, help="конец периода, ГГГГ-ММ-ДД")

    def handle(self, *args, **options):
        path = Path(options["file"])
        result = {
            "plan_id": None,
            "title": "",
            "sections": [],
            "activities": [],
            "warnings": [],
            "errors": [],
        }
        notes: list[dict] = []
        owner = Organization.objects.filter(code=options["owner"], is_active=True).first()
        try:
            if owner is None:
                raise ImportFileError(f"Организация с кодом «{options['owner']}» не найдена.")
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise ImportFileError(f"Файл «{path}» не открывается: {exc.strerror or exc}.") from exc
            draft = read_plan(data, path.name)
            notes = draft.notes
            choices = {
                "owner": owner,
                "title": options["title"],
                "period_start": options["period_start"],
                "period_end": options["period_end"],
            }
            if options["dry_run"]:
                result = build_preview(draft, **choices).as_json()
            else:
                plan, preview = plan_import(draft=draft, actor=None, **choices)
                result = preview.as_json(plan_id=plan.pk)
                _numbers_of(plan, result)
        except PlanImportError as exc:
            result = exc.preview.as_json() if exc.preview else result
            result["errors"] = exc.errors
        except ImportFileError as exc:
            result["errors"] = [{"row": None, "message": str(exc)}]
        self.report(result, notes, options)
        if result["errors"]:
            raise CommandError(f"Импорт не выполнен: ошибок {len(result['errors'])}, ничего не записано.")

    def report(self, result: dict, notes: list[dict], options) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if result["title"]:
            self.stdout.write(result["title"])
            self.stdout.write(
                f"Разделов: {len(result['sections'])}, мероприятий: {len(result['activities'])}."
            )
        for issue in [*result["errors"], *result.get("warnings", []), *notes]:
            where = f"строка {issue['row']}: " if issue.get("row") else ""
            self.stdout.write(f"  {where}{issue['message']}")
        if result["plan_id"]:
            self.stdout.write(self.style.SUCCESS(f"План загружен: id {result['plan_id']} (черновик)."))
        elif options["dry_run"] and not result["errors"]:
            self.stdout.write(self.style.SUCCESS("Проверка прошла: ошибок нет, ничего не записано."))


def _numbers_of(plan: Plan, result: dict) -> None:
    """The numbers as the created plan shows them (a flat plan: 1, 2, 3; sections: 1.1, 1.2…)."""
    sections = list(plan.sections.order_by("position").values_list("number", flat=True))
    activities = list(
        Activity.objects.filter(plan=plan)
        .order_by("section__position", "position")
        .values_list("number", flat=True)
    )
    for row, number in zip(result["sections"], sections, strict=True):
        row["number"] = number
    for row, number in zip(result["activities"], activities, strict=True):
        row["number"] = number
