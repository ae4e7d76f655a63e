"""The signing step's ways (DESIGN §5): the head chooses one on the order's page (OrderSignView);
for his own signature or paper, the PDF waits on the document's status page, which offers the
next step: the plug-in signs in the page (static/js/cades-sign.js posts the signature here), a
.sig file is uploaded, or the scan of the signed paper. The public downloads the .sig and the scan."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from reports.orders import external, selectors
from reports.orders.forms import ScanForm, SignatureForm
from vprplan.actions import ActionView
from vprplan.downloads import stored_file_response


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


class DocumentActionView(ActionView):
    """A document of an order the user reads, acted on by the head who signs it (else 404); a
    refusal goes back to the document's status page."""

    def failure_url(self) -> str:
        return reverse("reports:document_status", args=[self.kwargs["pk"]])

    def get_document(self):
        document = selectors.document_for_user(user=self.request.user, pk=self.kwargs["pk"])
        if not selectors.can_sign(self.request.user, document.order.organization):
            raise Http404
        return document


class DocumentSignatureView(DocumentActionView):
    """The detached signature over the waiting PDF: from the plug-in or a .sig file."""

    error_prefix = "Подпись не принята: "

    def act(self):
        request, document = self.request, self.get_document()
        form = SignatureForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect("reports:document_status", document.pk)
        external.order_document_attach_signature(
            document=document, actor=request.user, signature=form.cleaned_data["signature_bytes"]
        )
        messages.success(request, "Подпись проверена и принята: приказ подписан, план утверждён.")
        return redirect("reports:document_status", document.pk)


class DocumentScanView(DocumentActionView):
    """The scan of the paper original, signed by hand and registered."""

    def act(self):
        request, document = self.request, self.get_document()
        form = ScanForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect("reports:document_status", document.pk)
        external.order_document_attach_scan(
            document=document, actor=request.user, scan=form.scan_bytes, kind=form.scan_kind
        )
        messages.success(request, "Скан принят: приказ опубликован, план утверждён.")
        return redirect("reports:document_status", document.pk)


class DocumentCancelView(DocumentActionView):
    def act(self):
        request, document = self.request, self.get_document()
        external.order_signing_cancel(document=document, actor=request.user)
        messages.info(request, "Подписание отменено: приказ снова проект, его номер возвращён в реестр.")
        return redirect("reports:order_detail", document.order_id)


class DocumentPdfView(LoginRequiredMixin, View):
    """The PDF as rendered, for the head to sign or print (the plug-in's page fetches it too)."""

    def get(self, request, pk):
        document = selectors.document_for_user(user=request.user, pk=pk)
        if document.status == document.Status.FAILED:
            raise Http404
        return stored_file_response(document.file, filename=document.file_name, content_type="application/pdf")


class PublicSignatureView(View):
    """The detached signature of a signed order (.sig), for anyone to check with the PDF."""

    def get(self, request, pk):
        document = selectors.public_document(pk=pk)
        return stored_file_response(
            document.signature,
            filename=f"{document.file_name}.sig",
            content_type="application/pkcs7-signature",
            private=False,
        )


class PublicScanView(View):
    """The scan of an order signed on paper: the published original."""

    def get(self, request, pk):
        document = selectors.public_document(pk=pk)
        types = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
        return stored_file_response(
            document.scan,
            filename=f"{document.file_name[:-4]}-skan.{document.scan_kind}",
            content_type=types.get(document.scan_kind, "application/octet-stream"),
            private=False,
        )
