"""The printable «Справка о ходе выполнения плана» as a document of the authority: its blank,
the date and place, the figures, the signatory. Laid out by the project's one `render_pdf`
(vprplan.documents.pdf: shipped Liberation Serif, embedded; the template does no queries)."""

from datetime import date

from activities.progress.dashboard import plan_dashboard
from schools.models import EducationAuthority
from vprplan.documents.blanks import date_text, title_genitive
from vprplan.documents.pdf import html_pdf, render_pdf


def html_to_pdf(html: str) -> bytes:
    """A PDF of ready HTML (the demo's evidence scans) through the same renderer."""
    return html_pdf(html).pdf


def progress_context(plan, *, today: date, user=None) -> dict:
    authority = EducationAuthority.objects.filter(municipality_id=plan.owner_id).first()
    # The executor as a clerk writes him: «Мальцева Ольга Сергеевна».
    prepared_by = f"{user.last_name} {user.first_name}".strip() if user is not None else ""
    return {
        "d": plan_dashboard(plan, today=today, list_limit=None),
        "plan": plan,
        "plan_genitive": title_genitive(plan.title),
        "authority": authority,
        "issuer": (authority.full_name if authority else plan.owner.name),
        "place": authority.place if authority else "",
        "date_text": date_text(today),
        "prepared_by": prepared_by,
        "phone": authority.phone if authority else "",
    }


def progress_pdf(plan, *, today: date, user=None) -> bytes:
    """The «Справка» of `plan` as of `today`, prepared by `user` (its executor line)."""
    return render_pdf("activities/progress_print.html", progress_context(plan, today=today, user=user)).pdf
