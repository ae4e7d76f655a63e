"""The printable «Справка о ходе выполнения плана» as a document of the authority: its blank,
the date and place, the figures, the signatory. Laid out by the one `render_pdf` of
reports.orders.render (shipped Liberation Serif, embedded; the template does no queries)."""

from datetime import date


def render_pdf(template: str, context: dict) -> bytes:
    from reports.orders.render import render_pdf as render

    return render(template, context).pdf


def html_to_pdf(html: str) -> bytes:
    """A PDF of ready HTML (the demo's evidence scans) through the same renderer."""
    from reports.orders.render import html_pdf

    return html_pdf(html).pdf


def progress_context(plan, *, today: date, user=None) -> dict:
    from activities.progress import plan_dashboard
    from reports.orders.prefill import title_genitive
    from reports.orders.render import date_text
    from schools.models import EducationAuthority

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
    return render_pdf("activities/progress_print.html", progress_context(plan, today=today, user=user))
