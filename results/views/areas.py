"""A municipality's (or region's) VPR results: the markers page, its .xlsx, the import of the
ФИС ОКО exports, one-click flagging; and a school's page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from results import pages, selectors, services
from results.analysis import analyse, shown_years
from results.exports import markers_xlsx
from results.forms import ResultImportForm
from results.importing.reader import Defaults, parse_workbook
from results.importing.service import ACTIONS, results_import, serialise
from schools.choices import FlagSource
from schools.models import Organization
from schools.views.flags import AreaMixin
from vprplan import access
from vprplan.actions import ActionView
from vprplan.errors import DomainError
from vprplan.uploads import attachment_response


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2015 <= int(value) <= 2100 else None


class MarkerListView(AreaMixin, TemplateView):
    """Schools with markers over three years, the charts, the export and the one-click flag."""

    template_name = "results/marker_list.html"

    def get_context_data(self, **kwargs):
        analysis = analyse(area=self.area, years=shown_years(self.area, _year(self.request)))
        return super().get_context_data(
            area=self.area,
            analysis=analysis,
            can_write=services.can_write(self.request.user, self.area),
            **pages.area_context(analysis, self.request.GET.get("work", "")),
            **kwargs,
        )


class MarkerExportView(AreaMixin, View):
    def get(self, request, **kwargs):
        analysis = analyse(area=self.area, years=shown_years(self.area, _year(request)))
        names = {
            pk: (s["name"], s["fis_oko_login"]) for pk, s in pages.school_names(analysis.by_school).items()
        }
        flagged = {
            k: ", ".join(v) for k, v in pages.flag_sources(list(analysis.by_school), analysis.years).items()
        }
        content = markers_xlsx(analysis, names, flagged)
        name = f"markery-vpr-{self.area.code}-{analysis.years[-1] if analysis.years else 'net'}.xlsx"
        return attachment_response(
            content,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


PREVIEW_ROWS = 200


class ResultImportView(AreaMixin, View):
    """Upload → preview (every row matched, with what will change) → write all or nothing."""

    roles_ = access.EDIT_FLAGS
    template_name = "results/result_import.html"

    @property
    def key(self) -> str:
        return f"results-import-{self.area.pk}"

    def get(self, request, **kwargs):
        stored = request.session.get(self.key)
        if stored and request.GET.get("page"):  # another page of the checked file's preview
            report = results_import(area=self.area, actor=request.user, rows=stored["rows"], commit=False)
            return self.show(ResultImportForm(), report=report)
        return self.show(ResultImportForm())

    def post(self, request, **kwargs):
        if request.POST.get("action") == "confirm":
            stored = request.session.get(self.key)
            if not stored:
                messages.error(request, "Загрузите файл ещё раз: проверенный файл не найден.")
                return redirect("results:result_import", self.area.code)
            report = results_import(
                area=self.area, actor=request.user, rows=stored["rows"], commit=True, filename=stored["name"]
            )
            if report.committed:
                request.session.pop(self.key, None)
                messages.success(
                    request,
                    f"Результаты загружены: добавлено {report.count('new')}, изменено {report.count('update')}, "
                    f"пропущено {report.count('skip')}.",
                )
                return redirect("results:marker_list", self.area.code)
            return self.show(ResultImportForm(), report=report)
        form = ResultImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form)
        data = form.cleaned_data
        upload = data["file"]
        try:
            rows, notes = parse_workbook(
                upload.read(), Defaults(year=data["year"], subject=data["subject"], grade=data["grade"])
            )
        except DomainError as error:
            form.add_error("file", str(error))
            return self.show(form)
        rows = serialise(rows)
        report = results_import(area=self.area, actor=request.user, rows=rows, commit=False)
        report.notes = notes
        request.session[self.key] = {"rows": rows, "name": upload.name}
        return self.show(ResultImportForm(), report=report)

    def show(self, form, report=None):
        context = {"area": self.area, "form": form, "report": report, "actions": ACTIONS}
        if report is not None:  # a page of rows, those in error first: 19,000 rows are no page
            rows = sorted(report.rows, key=lambda r: not r.errors)
            context["preview_page"] = Paginator(rows, PREVIEW_ROWS).get_page(self.request.GET.get("page"))
        return render(self.request, self.template_name, context)


class FlagFromMarkersView(ActionView):
    """One click: flag a school for a year with its markers (source «муниципальный анализ»); back
    to the area's markers (`next=area`) or the school's page either way."""

    def failure_url(self) -> str:
        school = self.school
        if self.request.POST.get("next", "") == "area" and school.municipality_id:
            return reverse("results:marker_list", args=[school.municipality.code])
        return reverse("results:school_results", args=[school.code])

    def act(self):
        request = self.request
        self.school = school = get_object_or_404(
            Organization.objects.schools().filter(access.managed_q(request.user, roles_=access.EDIT_FLAGS)),
            code=self.kwargs["code"],
        )
        year = request.POST.get("year", "")
        if not year.isdigit():
            raise Http404
        _flag, outcome = services.flag_from_markers(actor=request.user, school=school, year=int(year))
        done = {"created": "отмечены", "updated": "дополнены", "same": "уже были отмечены"}[outcome]
        messages.success(
            request,
            f"{school}: признаки необъективности ВПР-{year} ({FlagSource.MUNICIPAL.label}) {done} по маркерам.",
        )
        return redirect(self.failure_url())


class SchoolResultsView(LoginRequiredMixin, TemplateView):
    """A school's results against the region, its flags, markers (staff) and suggested measures."""

    template_name = "results/school_results.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        school, full = selectors.school_for_user(user=user, code=self.kwargs["code"])
        analysis = analyse(area=school, years=shown_years(school, _year(self.request)))
        flags = list(selectors.school_flags(user=user, school=school))
        return super().get_context_data(
            school=school,
            full=full,
            analysis=analysis,
            flags=flags,
            measures=selectors.measures_for_school(school=school, years={f.year for f in flags}),
            can_flag=full and services.can_write(user, school),
            **pages.school_context(analysis, school, full=full),
            **kwargs,
        )
