"""The project's system checks (registered in vprplan.apps): what a production start needs."""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, 0.0.0.0, localhost: an address only this machine reaches."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register()
def site_url_check(app_configs=None, **kwargs) -> list[Error]:
    """With DEBUG off, SITE_URL must be the public address: mails, iCal feeds and the QR code on a
    signed order carry links built from it, and a loopback address leads nowhere outside."""
    if settings.DEBUG:
        return []
    if not settings.SITE_URL_SET:
        return [
            Error(
                "SITE_URL не задан: ссылки в письмах, календарях и QR-код подписанного приказа "
                "строятся от него.",
                hint="Задайте публичный адрес сайта, например SITE_URL=https://vpr.example.ru",
                id="vprplan.E001",
            )
        ]
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"SITE_URL «{settings.SITE_URL}» — не адрес сайта.",
                hint="Укажите адрес со схемой, например SITE_URL=https://vpr.example.ru",
                id="vprplan.E002",
            )
        ]
    if is_loopback(parts.hostname):
        return [
            Error(
                f"SITE_URL «{settings.SITE_URL}» указывает на этот компьютер (loopback): по ссылкам "
                "из писем и QR-кода приказа никто, кроме сервера, не откроет сайт.",
                hint="Укажите публичный адрес сайта, например SITE_URL=https://vpr.example.ru",
                id="vprplan.E003",
            )
        ]
    return []


@register()
def signing_keys_check(app_configs=None, **kwargs) -> list[Warning]:
    """The authorities' private keys are not stored files: under MEDIA_ROOT a backup of the files,
    a copy into the bucket or a wrongly served /media/ would carry them along."""
    keys, media = Path(settings.SIGNING_PKCS12_DIR).resolve(), Path(settings.MEDIA_ROOT).resolve()
    if keys == media or keys.is_relative_to(media):
        return [
            Warning(
                f"Ключи подписи (SIGNING_PKCS12_DIR={keys}) лежат внутри MEDIA_ROOT ({media}).",
                hint="Перенесите файлы .p12 в отдельную папку (по умолчанию ./keys) и задайте её в "
                "SIGNING_PKCS12_DIR.",
                id="vprplan.W201",
            )
        ]
    left_behind = sorted((media / "signing").glob("*.p12"))  # the default folder before ./keys
    if left_behind and not any(keys.glob("*.p12")):
        return [
            Warning(
                f"В {media / 'signing'} остались ключи подписи ({len(left_behind)}), а в "
                f"SIGNING_PKCS12_DIR ({keys}) их нет: приказы не подпишутся.",
                hint=f"Перенесите файлы .p12 в {keys} (права 600, папка 700).",
                id="vprplan.W202",
            )
        ]
    return []
