"""/verify/: anyone uploads a PDF (with its .sig when the head signed it with a detached signature,
or the scan of a paper original) and learns whether it is a signed original of this system;
/verify/<id>/ (the QR code's target) shows a signed document's record and its download. No login."""

from django.views import View
from django.views.generic import FormView, TemplateView

from reports.forms import VerifyForm
from reports.orders import selectors
from reports.orders.verify import verify_file
from vprplan.downloads import stored_file_response


class VerifyView(FormView):
    template_name = "reports/verify.html"
    form_class = VerifyForm

    def form_valid(self, form):
        result = verify_file(form.data_bytes, signature=form.signature_bytes, kind=form.kind)
        return self.render_to_response(
            self.get_context_data(
                form=VerifyForm(),
                result=result,
                file_name=form.cleaned_data["file"].name,
                signature_name=form.cleaned_data["signature"].name if form.signature_bytes else "",
            )
        )


class VerifyDocumentView(TemplateView):
    template_name = "reports/verify_document.html"

    def get_context_data(self, **kwargs):
        document = selectors.public_document(pk=self.kwargs["pk"])
        return super().get_context_data(document=document, order=document.order, **kwargs)


class DocumentDownloadView(View):
    """The signed PDF as it was signed (the public may download it: orders are published)."""

    def get(self, request, pk):
        document = selectors.public_document(pk=pk)
        # Published, so cacheable; still an attachment, never rendered as a page of this site.
        return stored_file_response(
            document.file,
            filename=document.file_name,
            content_type="application/pdf",
            private=False,
        )
