"""Importing a plan in the browser: upload → preview → confirm. Only for a user who keeps plans
of an organisation (vprplan.access.EDIT_PLANS); everyone else gets 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from reports.forms import ImportConfirmForm, PlanUploadForm
from reports.imports.draft import PlanDraft
from reports.imports.preview import build_preview
from reports.imports.services import PlanImportError, plan_import, plan_import_upload
from reports.models import PlanImport
from vprplan import access
from vprplan.actions import CapabilityRequiredMixin
from vprplan.wording import count


class PlanKeeperRequiredMixin(CapabilityRequiredMixin):
    capability = access.EDIT_PLANS

    def dispatch(self, request, *args, **kwargs):
        self.owners = access.seats(request.user, access.EDIT_PLANS)
        return super().dispatch(request, *args, **kwargs)


class PlanImportView(PlanKeeperRequiredMixin, FormView):
    template_name = "reports/plan_import.html"
    form_class = PlanUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owners": self.owners}

    def form_valid(self, form):
        upload = plan_import_upload(
            actor=self.request.user, owner=form.cleaned_data["owner"], draft=form.draft
        )
        return redirect("reports:plan_import_preview", pk=upload.pk)


class PlanImportPreviewView(PlanKeeperRequiredMixin, View):
    """Shows what the file would create; «Пересчитать» applies a changed period or title,
    «Загрузить план» writes it all or nothing."""

    template_name = "reports/plan_import_preview.html"

    def get_upload(self) -> PlanImport:
        return get_object_or_404(
            PlanImport.objects.select_related("owner"),
            pk=self.kwargs["pk"],
            created_by=self.request.user,
            status=PlanImport.Status.PREVIEW,
            owner_id__in=[o.pk for o in self.owners],
        )

    def get(self, request, pk):
        upload = self.get_upload()
        draft = PlanDraft.from_dict(upload.draft)
        form = ImportConfirmForm(
            initial={"title": draft.title, "period_start": draft.start, "period_end": draft.end}
        )
        return self.show(upload, draft, form, build_preview(draft, owner=upload.owner))

    def post(self, request, pk):
        upload = self.get_upload()
        draft = PlanDraft.from_dict(upload.draft)
        form = ImportConfirmForm(request.POST)
        if not form.is_valid():
            return self.show(upload, draft, form, build_preview(draft, owner=upload.owner))
        choices = {
            "title": form.cleaned_data["title"],
            "period_start": form.cleaned_data["period_start"],
            "period_end": form.cleaned_data["period_end"],
        }
        if request.POST.get("action") != "confirm":
            return self.show(upload, draft, form, build_preview(draft, owner=upload.owner, **choices))
        try:
            plan, _ = plan_import(
                draft=draft, owner=upload.owner, actor=request.user, upload=upload, **choices
            )
        except PlanImportError as exc:
            preview = exc.preview or build_preview(draft, owner=upload.owner, **choices)
            return self.show(upload, draft, form, preview)
        messages.success(
            request,
            f"План загружен как черновик: {count(plan.sections.count(), 'раздел', 'раздела', 'разделов')}, "
            f"{count(plan.activities.count(), 'мероприятие', 'мероприятия', 'мероприятий')}.",
        )
        return redirect(reverse("activities:plan_detail", args=[plan.pk]))

    def show(self, upload, draft, form, preview):
        return render(
            self.request,
            self.template_name,
            {"upload": upload, "draft": draft, "form": form, "preview": preview},
        )
