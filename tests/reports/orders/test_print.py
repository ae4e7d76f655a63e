"""Small pieces of the printed documents: the certificate serial as issued, the owner's full name
in the mark, names and ranges kept whole, the executor line, the draft's blanks."""

from types import SimpleNamespace

import pytest
from cryptography import x509

from reports.models import Order
from reports.orders.render import date_text, mark_owner
from reports.signing import serial_hex
from reports.signing.demo import make_pkcs12
from reports.signing.pades import certificate_info
from reports.templatetags.typeset import typeset_text


def test_the_serial_keeps_its_leading_zeros_and_is_whole_bytes():
    assert serial_hex(0x09513ED2) == "09513ED2"  # «9513ED2» was printed
    assert serial_hex(0x9513ED2C) == "009513ED2C"  # the DER INTEGER's sign byte, as viewers show it
    assert serial_hex(0x0100) == "0100"
    assert all(len(serial_hex(n)) % 2 == 0 for n in (1, 0x7F, 0x80, 0xFFFF, 2**159 + 12345))


def test_the_certificate_info_prints_the_serial_as_issued():
    from cryptography.hazmat.primitives.serialization import pkcs12

    _key, certificate, _ = pkcs12.load_key_and_certificates(
        make_pkcs12(owner="Круглова Эвелина Олеговна"), None
    )
    info = certificate_info(certificate)
    der_serial = certificate.public_bytes(
        encoding=__import__("cryptography").hazmat.primitives.serialization.Encoding.DER
    )
    assert info.serial == serial_hex(certificate.serial_number) and bytes.fromhex(info.serial) in der_serial
    assert isinstance(certificate, x509.Certificate) and info.owner == "Круглова Эвелина Олеговна"


def _order(head_full_name: str):
    authority = SimpleNamespace(head_full_name=head_full_name)
    return SimpleNamespace(organization=SimpleNamespace(authority=authority))


def test_the_mark_names_the_owner_in_full():
    by_initials = SimpleNamespace(owner="Э.О. Круглова")
    assert mark_owner(_order("Круглова Эвелина Олеговна"), by_initials) == "Круглова Эвелина Олеговна"
    # No full name of the head (or another person's): what the certificate says.
    assert (
        mark_owner(_order(""), SimpleNamespace(owner="Круглова Эвелина Олеговна"))
        == "Круглова Эвелина Олеговна"
    )
    assert mark_owner(_order("Иванов Иван Иванович"), by_initials) == "Э.О. Круглова"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("администрации Северо-Енисейского района", "Северо-Енисейского"),
        ("СЕВЕРО-ЕНИСЕЙСКОГО РАЙОНА", "СЕВЕРО-ЕНИСЕЙСКОГО"),
        ("в 2023-2024 учебном году", "2023-2024"),
        ("09:00–10:30", "09:00–10:30"),
    ],
)
def test_proper_names_and_ranges_never_break(text, kept):
    assert f'<span class="nobr">{kept}</span>' in typeset_text(text)


def test_common_compounds_may_break_and_markup_is_escaped():
    html = typeset_text("информационно-разъяснительной <b> № 5, Э.О. Круглова, г. Инта")
    assert "nobr" not in html and "&lt;b&gt;" in html
    assert "№\u00a05" in html and "Э.О.\u00a0Круглова" in html and "г.\u00a0Инта" in html


def test_a_draft_prints_blanks():
    assert date_text(None) == "«___» ____________ 20___ года"
    assert Order(number="").requisites == "от __.__.____ № ____"


@pytest.mark.django_db
def test_the_executor_line_has_no_dangling_comma(world):
    from django.template.loader import render_to_string

    def executor(name, phone):
        order = SimpleNamespace(executor_name=name, executor_phone=phone)
        html = render_to_string("reports/_order_text.html", {"order": _stub(order)})
        return " ".join(html.split())

    assert "<em>Круглова Эвелина Олеговна</em>, 6-20-08" in executor("Круглова Эвелина Олеговна", "6-20-08")
    assert "<em>Круглова Эвелина Олеговна</em></p>" in executor("Круглова Эвелина Олеговна", "")

    def printed(name, phone):
        order = _stub(
            SimpleNamespace(executor_name=name, executor_phone=phone, requisites="", authority_genitive="")
        )
        context = {"order": order, "last_clause": "Пункт", "clauses_before": [], "verify_url_lines": ["", ""]}
        html = render_to_string("reports/pdf/order.html", context)
        return html[html.index('<div class="executor">') :].split("</div>")[0]

    assert '<p class="executor-name">Круглова Эвелина Олеговна,</p>' in printed(
        "Круглова Эвелина Олеговна", "6-20-08"
    )
    assert '<p class="executor-name">Круглова Эвелина Олеговна</p>' in printed(
        "Круглова Эвелина Олеговна", ""
    )


def _stub(values):
    plan = SimpleNamespace(title="План", get_status_display=lambda: "утверждён")
    base = dict(
        authority_name="ОТДЕЛ", authority_name_local="", kind_local="", date=None, number="", place="",
        title="О", preamble="", clauses=["Пункт"], signatory_position="Начальник", signatory_name="И.О. Ф",
        distribution="", plan=plan, plan_id=1,
    )  # fmt: skip
    return SimpleNamespace(**{**base, **vars(values)})
