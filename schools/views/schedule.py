"""The VPR schedule of a campaign: the schools' sessions (entered, changed, imported from .xlsx,
exported). The observers assigned to them are observers' pages."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from schools import selectors, services
from schools.exports import sessions_xlsx
from schools.forms import ScheduleUploadForm, SessionForm
from schools.schedule_import import ACTIONS, read_sheet, schedule_import
from vprplan.actions import ActionView, ServiceFormMixin
from vprplan.errors import DomainError
from vprplan.uploads import attachment_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CampaignMixin(LoginRequiredMixin):
    """`self.campaign`: the campaign of the URL in one of the user's regions, or 404."""

    def get_campaign(self):
        if not hasattr(self, "_campaign"):
            self._campaign = selectors.campaign_for_user(
                user=self.request.user, pk=self.kwargs["campaign_pk"]
            )
        return self._campaign


class ScheduleMixin(CampaignMixin):
    """The schedule's pages need a school the user reads in the campaign's region; else 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = self.get_campaign()
            self.schools = list(selectors.readable_schools(user=request.user, campaign=self.campaign))
            if not self.schools:
                raise Http404
            self.editable = list(selectors.schedule_schools(user=request.user, campaign=self.campaign))
        return super().dispatch(request, *args, **kwargs)


class ScheduleView(ScheduleMixin, TemplateView):
    """The sessions the user reads, by school, each with its date warnings."""

    template_name = "schools/session_list.html"

    def get_context_data(self, **kwargs):
        sessions = selectors.sessions_for_user(user=self.request.user, campaign=self.campaign)
        school = self.request.GET.get("school")
        if school and school.isdigit():
            sessions = sessions.filter(school_id=int(school))
        editable = {s.pk for s in self.editable}
        groups: dict[int, dict] = {}
        for s in sessions:
            s.warnings = s.schedule_warnings()
            group = groups.setdefault(s.school_id, {"school": s.school, "sessions": [], "editable": False})
            group["sessions"].append(s)
            group["editable"] = s.school_id in editable
        return super().get_context_data(
            campaign=self.campaign,
            groups=list(groups.values()),
            schools=self.schools,
            can_edit=bool(self.editable),
            municipalities=list(
                selectors.area_municipalities(user=self.request.user, region_id=self.campaign.region_id)
            ),
            warnings_total=sum(len(s.warnings) for g in groups.values() for s in g["sessions"]),
            **kwargs,
        )


class SessionFormMixin(ServiceFormMixin):
    template_name = "schools/session_form.html"
    form_class = SessionForm
    refusals = (DomainError, ValidationError)  # session_save validates the session with full_clean()

    def get_form_kwargs(self):
        schools = selectors.schedule_schools(user=self.request.user, campaign=self.campaign)
        return {**super().get_form_kwargs(), "schools": schools, "campaign": self.campaign}

    def perform(self, form):
        data = dict(form.cleaned_data)
        school = data.pop("school")
        session = services.session_save(
            actor=self.request.user, campaign=self.campaign, school=school, session=self.session, **data
        )
        messages.success(self.request, f"Работа сохранена: {session}.")
        for warning in session.schedule_warnings():
            messages.warning(self.request, warning)
        return redirect(f"{reverse('schools:session_list', args=[self.campaign.pk])}?school={school.pk}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, session=self.session, **kwargs)


class SessionCreateView(CampaignMixin, SessionFormMixin, FormView):
    session = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = self.get_campaign()
            if not selectors.schedule_schools(user=request.user, campaign=self.campaign).exists():
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        school = self.request.GET.get("school")
        return {"school": int(school)} if school and school.isdigit() else {}


class SessionUpdateView(LoginRequiredMixin, SessionFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = get_object_or_404(selectors.editable_sessions(user=request.user), pk=kwargs["pk"])
            self.campaign = self.session.campaign
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.session}


class SessionDeleteView(ActionView):
    def act(self):
        services.session_delete(actor=self.request.user, session=self.session())
        messages.success(self.request, "Работа удалена из графика.")
        return redirect(self.failure_url())

    def session(self):
        if not hasattr(self, "_session"):
            self._session = get_object_or_404(selectors.editable_sessions(user=self.request.user), pk=self.kwargs["pk"])
        return self._session

    def failure_url(self) -> str:
        session = self.session()
        return f"{reverse('schools:session_list', args=[session.campaign_id])}?school={session.school_id}"


class ScheduleExportView(ScheduleMixin, View):
    """The sessions the user reads as .xlsx: also the template the import reads back."""

    def get(self, request, **kwargs):
        content = sessions_xlsx(selectors.sessions_for_user(user=request.user, campaign=self.campaign))
        return attachment_response(
            content, filename=f"grafik-vpr-{self.campaign.year}.xlsx", content_type=XLSX
        )


class ScheduleImportView(CampaignMixin, View):
    """Upload → preview (a dry run, with every row's errors and date warnings) → import all or nothing."""

    template_name = "schools/session_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = self.get_campaign()
            if not selectors.schedule_schools(user=request.user, campaign=self.campaign).exists():
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def key(self) -> str:
        return f"schedule-import-{self.campaign.pk}"

    def get(self, request, **kwargs):
        return self.show(ScheduleUploadForm())

    def post(self, request, **kwargs):
        if request.POST.get("action") == "confirm":
            rows = request.session.get(self.key)
            if not rows:
                messages.error(request, "Загрузите файл ещё раз: проверенный файл не найден.")
                return redirect("schools:session_import", self.campaign.pk)
            report = schedule_import(campaign=self.campaign, actor=request.user, rows=rows, commit=True)
            if report.committed:
                request.session.pop(self.key, None)
                messages.success(
                    request,
                    f"График загружен: добавлено {report.count('new')}, изменено {report.count('update')}.",
                )
                return redirect("schools:session_list", self.campaign.pk)
            return self.show(ScheduleUploadForm(), report=report)
        form = ScheduleUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form)
        try:
            rows = read_sheet(form.cleaned_data["file"].read())
            report = schedule_import(campaign=self.campaign, actor=request.user, rows=rows, commit=False)
        except DomainError as error:
            form.add_error("file", str(error))
            return self.show(form)
        request.session[self.key] = rows
        return self.show(ScheduleUploadForm(), report=report)

    def show(self, form, report=None):
        return render(
            self.request,
            self.template_name,
            {"campaign": self.campaign, "form": form, "report": report, "actions": ACTIONS},
        )
