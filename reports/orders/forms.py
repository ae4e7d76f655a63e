"""Forms of the signing step: the way chosen (with the head's certificate for his own signature),
the detached signature returned (from the plug-in or a .sig file), the scan of the paper original."""

import base64
import binascii

from django import forms
from django.conf import settings

from schools.choices import SigningMethod
from vprplan.uploads import UploadRejected, check_upload

CERTIFICATE_MAX_BYTES = 64 * 1024
SIGNATURE_REFUSED = "Файл подписи не читается: ожидается откреплённая подпись (.sig, .p7s) в кодировке DER или Base64."


def _read_bounded(upload, limit: int, message: str) -> bytes:
    if upload.size > limit:
        raise forms.ValidationError(message)
    upload.seek(0)
    return upload.read(limit + 1)


def _base64(text: str, limit: int, message: str) -> bytes:
    text = "".join(text.split())
    if len(text) > limit * 4 // 3 + 8:
        raise forms.ValidationError(message)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise forms.ValidationError(message) from exc


class OrderSignForm(forms.Form):
    """The way the head signs, of those his authority allows; his certificate for his own signature
    (the plug-in fills `certificate` in Base64; a .cer file for a signature made elsewhere)."""

    method = forms.ChoiceField(label="Способ подписи", choices=SigningMethod.choices, required=False)
    certificate = forms.CharField(required=False, widget=forms.HiddenInput)
    certificate_file = forms.FileField(
        label="Сертификат руководителя (.cer)",
        required=False,
        help_text="Файл сертификата, которым будет подписан приказ: его номер, владелец и срок действия "
        "впечатываются в отметку об электронной подписи.",
        widget=forms.ClearableFileInput(attrs={"accept": ".cer,.crt,.pem,.der"}),
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m, label) for m, label in SigningMethod.choices if m in allowed]

    def clean_method(self):
        return self.cleaned_data.get("method") or SigningMethod.SERVER

    def clean(self):
        data = super().clean()
        message = "Файл не является сертификатом (ожидается .cer в кодировке DER или Base64)."
        der = b""
        if data.get("certificate_file"):
            der = _read_bounded(data["certificate_file"], CERTIFICATE_MAX_BYTES, message)
        elif data.get("certificate"):
            der = _base64(data["certificate"], CERTIFICATE_MAX_BYTES, message)
        if data.get("method") in (SigningMethod.BROWSER, SigningMethod.DETACHED) and not der:
            raise forms.ValidationError("Выберите сертификат, которым будет подписан приказ.")
        data["certificate_der"] = der
        return data


class SignatureForm(forms.Form):
    """The detached signature: Base64 from the plug-in (`signature`) or a .sig file."""

    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    signature_file = forms.FileField(
        label="Файл подписи (.sig)",
        required=False,
        help_text="Откреплённая подпись CAdES этого PDF, созданная в КриптоАРМ или в системе "
        "электронного документооборота.",
        widget=forms.ClearableFileInput(attrs={"accept": ".sig,.p7s,.sgn"}),
    )

    def clean(self):
        data = super().clean()
        limit = settings.SIGNATURE_MAX_BYTES
        too_big = f"Файл подписи больше {limit // 1024} КБ: откреплённая подпись документа так велика не бывает."
        if data.get("signature_file"):
            data["signature_bytes"] = _read_bounded(data["signature_file"], limit, too_big)
        elif data.get("signature"):
            data["signature_bytes"] = _base64(data["signature"], limit, SIGNATURE_REFUSED)
        else:
            raise forms.ValidationError("Приложите файл подписи.")
        return data


class ScanForm(forms.Form):
    scan = forms.FileField(
        label="Скан подписанного экземпляра",
        help_text="PDF, JPEG или PNG: подписанный и зарегистрированный приказ со всеми страницами.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_scan(self):
        try:
            checked = check_upload(
                self.cleaned_data["scan"], kinds=("pdf", "jpg", "png"), max_bytes=settings.ACT_SCAN_MAX_BYTES
            )
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.scan_bytes, self.scan_kind = checked.read(), checked.kind
        return checked.upload
