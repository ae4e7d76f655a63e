"""Orders (приказы): the register, one-click preparation from a plan, editing the draft, signing
by the head (a job renders and signs; the status page polls it), the .docx twin, a correction."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from activities.selectors import plans_for_user
from reports.exports.order_docx import order_docx
from reports.forms import OrderForm
from reports.models import Order
from reports.orders import selectors, services
from reports.orders.forms import OrderSignForm
from reports.signing.cades.certs import trust_store
from schools.choices import SigningMethod
from vprplan import access
from vprplan.actions import ActionView, CapabilityRequiredMixin, ServiceFormMixin
from vprplan.documents.views import StatusSource
from vprplan.uploads import attachment_response


class OrderMixin(CapabilityRequiredMixin):
    """The order of the URL if the user reads it (else 404)."""

    def get_order(self) -> Order:
        if not hasattr(self, "_order"):
            self._order = selectors.order_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return self._order


def signing_methods(order: Order) -> list[str]:
    authority = getattr(order.organization, "authority", None)
    return authority.allowed_signing_methods if authority is not None else [SigningMethod.SERVER]


def order_actions(user, order: Order) -> dict:
    prepare = selectors.can_prepare(user, order.organization)
    sign = selectors.can_sign(user, order.organization) and order.is_draft
    methods = signing_methods(order)
    qualified = sign and bool({SigningMethod.BROWSER, SigningMethod.DETACHED} & set(methods))
    return {
        "edit": prepare and order.is_draft,
        "sign": sign,
        "methods": methods,
        # A qualified signature is checked against the roots the administrator loaded: without
        # them it would be refused, so the page says so before the head tries.
        "roots_missing": qualified and trust_store().empty,
        "revise": prepare and order.status == "signed",
    }


class OrderListView(CapabilityRequiredMixin, TemplateView):
    """The authority's register of orders made here, and the plans waiting for one."""

    template_name = "reports/order_list.html"
    capability = access.READ_ORDERS

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            orders=selectors.orders_for_user(user=user).prefetch_related("documents"),
            plans=selectors.plans_awaiting_order(user=user),
            **kwargs,
        )


class OrderCreateView(ActionView):
    """One click on a plan: a prefilled draft (or the draft already begun for it)."""

    def failure_url(self) -> str:
        return reverse("reports:order_list")

    def act(self):
        request = self.request
        plan = get_object_or_404(plans_for_user(user=request.user), pk=self.kwargs["pk"])
        if not selectors.can_prepare(request.user, plan.owner):
            raise Http404
        draft = Order.objects.filter(plan=plan).exclude(status="signed").order_by("-pk").first()
        if draft is not None:
            messages.info(request, "Проект приказа по этому плану уже есть.")
            return redirect("reports:order_update" if draft.is_draft else "reports:order_detail", draft.pk)
        order = services.order_create(plan=plan, actor=request.user)
        messages.success(request, "Проект приказа подготовлен по плану и сведениям органа. Проверьте текст.")
        return redirect("reports:order_update", order.pk)


class OrderDetailView(OrderMixin, TemplateView):
    template_name = "reports/order_detail.html"

    def get_context_data(self, **kwargs):
        order = self.get_order()
        return super().get_context_data(
            order=order,
            actions=order_actions(self.request.user, order),
            documents=selectors.documents_of(order),
            cadesplugin_api_url=settings.CADESPLUGIN_API_URL,
            **kwargs,
        )


class OrderUpdateView(OrderMixin, ServiceFormMixin, FormView):
    template_name = "reports/order_form.html"
    form_class = OrderForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            order = self.get_order()
            if not selectors.can_prepare(request.user, order.organization):
                raise Http404
            if not order.is_draft:
                messages.info(request, "Приказ подписан или подписывается: он не изменяется.")
                return redirect("reports:order_detail", order.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_order()}

    def get_context_data(self, **kwargs):
        order = self.get_order()
        return super().get_context_data(
            order=order, actions=order_actions(self.request.user, order), **kwargs
        )

    def perform(self, form):
        order = self.get_order()
        services.order_update(order=order, actor=self.request.user, **form.values())
        messages.success(self.request, "Проект приказа сохранён.")
        return redirect("reports:order_detail", order.pk)


class OrderSignView(OrderMixin, ActionView):
    """The head signs in the way he chose (of his authority's): the job is queued and the browser
    goes to its status page, which offers the next step of the ways signed outside the server."""

    def failure_url(self) -> str:
        return reverse("reports:order_detail", args=[self.kwargs["pk"]])

    def act(self):
        request, order = self.request, self.get_order()
        if not selectors.can_sign(request.user, order.organization):
            raise Http404
        form = OrderSignForm(request.POST, request.FILES, allowed=signing_methods(order))
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("reports:order_detail", order.pk)
        document = services.order_sign(
            order=order,
            actor=request.user,
            method=form.cleaned_data["method"],
            certificate_der=form.cleaned_data["certificate_der"],
        )
        return redirect("reports:document_status", document.pk)


class OrderReviseView(OrderMixin, ActionView):
    def failure_url(self) -> str:
        return reverse("reports:order_detail", args=[self.kwargs["pk"]])

    def act(self):
        request, order = self.request, self.get_order()
        if not selectors.can_prepare(request.user, order.organization):
            raise Http404
        copy = services.order_revise(order=order, actor=request.user)
        messages.success(request, "Подготовлен новый приказ взамен подписанного.")
        return redirect("reports:order_update", copy.pk)


class OrderDocxView(OrderMixin, View):
    """The order with its appendix in Word, for those who must edit it there."""

    def get(self, request, pk: int):
        order = self.get_order()
        return attachment_response(
            order_docx(order),
            filename=(
                f"prikaz-{order.organization.code}-{order.date:%Y-%m-%d}-{order.number}.docx"
                if order.date
                else f"prikaz-{order.organization.code}-proekt.docx"
            ),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )


def _document_context(request, document) -> dict:
    return {
        "document": document,
        "order": document.order,
        "can_sign": selectors.can_sign(request.user, document.order.organization),
        "cadesplugin_api_url": settings.CADESPLUGIN_API_URL,
    }


# The signing job's status on the one status page of rendered files (vprplan.documents.views).
DOCUMENT_STATUS = StatusSource(
    record=lambda user, pk: selectors.document_for_user(user=user, pk=pk),
    page="reports/document_status.html",
    body="reports/_document_status.html",
    box_id="document-status",
    context=_document_context,
)
