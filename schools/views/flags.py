"""Unobjectivity flags of a municipality (or region): the list and the import of a published list."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from schools import selectors
from schools.choices import FlagSource
from schools.flag_import import flags_import, match_rows, read_flag_list
from schools.forms import FlagImportForm
from vprplan import access
from vprplan.errors import DomainError


class AreaMixin(LoginRequiredMixin):
    """`self.area`: the municipality or region of the URL, within the user's `roles_`, or 404."""

    roles_ = access.READ_AREAS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.area = selectors.area_for_user(user=request.user, code=kwargs["code"], roles_=self.roles_)
        return super().dispatch(request, *args, **kwargs)


class FlagListView(AreaMixin, TemplateView):
    """Schools with признаки необъективности, by year and source."""

    template_name = "schools/flag_list.html"

    def get_context_data(self, **kwargs):
        year = self.request.GET.get("year", "")
        flags = selectors.area_flags(
            user=self.request.user, area=self.area, year=int(year) if year.isdigit() else None
        )
        return super().get_context_data(
            area=self.area,
            flags=flags,
            years=selectors.area_flags(user=self.request.user, area=self.area)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct(),
            year=year,
            can_edit=selectors.can_edit_flags(self.request.user, self.area),
            **kwargs,
        )


class FlagImportView(AreaMixin, View):
    """Upload → preview (each school matched by login or name; doubtful matches wait for a choice)
    → confirm: the flags are written all at once."""

    roles_ = access.EDIT_FLAGS
    template_name = "schools/flag_import.html"

    @property
    def key(self) -> str:
        return f"flags-import-{self.area.pk}"

    def get(self, request, **kwargs):
        return self.show(FlagImportForm())

    def post(self, request, **kwargs):
        if request.POST.get("action") == "confirm":
            return self.confirm(request)
        form = FlagImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form)
        try:
            rows = read_flag_list(form.cleaned_data["file"].read())
        except DomainError as error:
            form.add_error("file", str(error))
            return self.show(form)
        stored = {"rows": rows, "year": form.cleaned_data["year"], "source": form.cleaned_data["source"]}
        request.session[self.key] = stored
        return self.show(FlagImportForm(initial=stored), stored=stored)

    def confirm(self, request):
        stored = request.session.get(self.key)
        if not stored:
            messages.error(request, "Загрузите файл ещё раз: проверенный файл не найден.")
            return redirect("schools:flag_import", self.area.code)
        choices = {
            name: int(value)
            for name, value in request.POST.items()
            if name.startswith("row-") and value.isdigit()
        }
        try:
            counts = flags_import(
                area=self.area, actor=request.user, year=stored["year"], source=stored["source"],
                rows=stored["rows"], choices=choices,
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error))
            return self.show(FlagImportForm(initial=stored), stored=stored)
        request.session.pop(self.key, None)
        messages.success(
            request,
            f"Перечень загружен: новых отметок {counts['created']}, дополнено {counts['updated']}, "
            f"без изменений {counts['same']}, пропущено строк {counts['skipped']}.",
        )
        return redirect(f"{self._list_url()}?year={stored['year']}")

    def _list_url(self) -> str:
        return reverse("schools:flag_list", args=[self.area.code])

    def show(self, form, stored=None):
        rows = match_rows(stored["rows"], self.area) if stored else None
        context = {
            "area": self.area,
            "form": form,
            "rows": rows,
            "stored": stored,
            "source_label": FlagSource(stored["source"]).label if stored else "",
            "matched": sum(1 for r in rows if r.match in ("login", "name")) if rows else 0,
            "doubtful": sum(1 for r in rows if r.match == "doubtful") if rows else 0,
            "missing": sum(1 for r in rows if r.match == "none") if rows else 0,
        }
        return render(self.request, self.template_name, context)
