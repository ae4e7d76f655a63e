"""Charts drawn on the server as inline SVG: no script, no inline style (CSP-friendly), colours
from classes in static/css/app.css (.chart …). Every chart carries a <title> and its numbers as
text, so it reads without colour too."""

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from results.markers import Row
from results.wording import num

PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 34, 10, 14, 34


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _frame(width: int, height: int, top: float) -> tuple[list[str], Callable[[float], float]]:
    """Axis lines and percent grid; returns the body and y(value) → pixel."""
    plot_h = height - PAD_TOP - PAD_BOTTOM

    def y(value: float) -> float:
        return PAD_TOP + plot_h * (1 - value / top) if top else PAD_TOP + plot_h

    body = []
    for step in (0, top / 2, top):
        body.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" y1="{y(step):.1f}" y2="{y(step):.1f}"/>'
            f'<text class="axis" x="{PAD_LEFT - 4}" y="{y(step) + 4:.1f}" text-anchor="end">{num(step)}%</text>'
        )
    return body, y


LEGEND_LINE = 13


def _legend(items: list[tuple[str, str]], width: int, height: int) -> tuple[list[str], int]:
    """The legend under the plot, wrapped to the chart's width; returns it and the height it adds."""
    out, x, y = [], PAD_LEFT, height - 4
    for cls, label in items:
        size = 24 + 6 * len(label)
        if x > PAD_LEFT and x + size > width:
            x, y = PAD_LEFT, y + LEGEND_LINE
        out.append(
            f'<rect class="{cls}" x="{x}" y="{y - 9}" width="10" height="10"/>'
            f'<text class="legend" x="{x + 14}" y="{y}">{escape(label)}</text>'
        )
        x += size
    return out, y - (height - 4)


def _finish(
    width: int, height: int, title: str, body: list[str], legend: list[tuple[str, str]]
) -> SafeString:
    drawn, extra = _legend(legend, width, height)
    return _svg(width, height + extra, title, body + drawn)


def _top(values: list[float]) -> float:
    top = max([v for v in values if v is not None] + [1.0])
    return min(100.0, (int(top / 10) + 1) * 10.0)


def marks_chart(school: Row, region: Row | None, *, school_label: str = "ОО") -> SafeString:
    """«2»–«5» in percent: the school's bars against the region's."""
    width, height = 330, 190
    ours = [school.share(m) for m in range(2, 6)]
    theirs = [region.share(m) for m in range(2, 6)] if region and region.marks else None
    top = _top(ours + (theirs or []))
    body, y = _frame(width, height, top)
    slot = (width - PAD_LEFT - PAD_RIGHT) / 4
    bar = slot / 3
    base = y(0)
    for i, mark in enumerate(range(2, 6)):
        x = PAD_LEFT + i * slot + bar / 2
        pairs = [("bar-school", ours[i])] + ([("bar-region", theirs[i])] if theirs else [])
        for j, (cls, value) in enumerate(pairs):
            left = x + j * bar
            body.append(
                f'<rect class="{cls}" x="{left:.1f}" y="{y(value):.1f}" width="{bar - 2:.1f}" '
                f'height="{base - y(value):.1f}"><title>{num(value)} %</title></rect>'
                f'<text class="value" x="{left + bar / 2 - 1:.1f}" y="{y(value) - 2:.1f}" '
                f'text-anchor="middle">{num(value)}</text>'
            )
        body.append(
            f'<text class="axis" x="{PAD_LEFT + i * slot + slot / 2:.1f}" y="{base + 14:.1f}" '
            f'text-anchor="middle">«{mark}»</text>'
        )
    legend = [("bar-school", school_label)] + ([("bar-region", "регион")] if theirs else [])
    title = f"Отметки, %: {school_label} — " + ", ".join(
        f"«{m}» {num(v)}" for m, v in zip(range(2, 6), ours, strict=True)
    )
    if theirs:
        title += "; регион — " + ", ".join(
            f"«{m}» {num(v)}" for m, v in zip(range(2, 6), theirs, strict=True)
        )
    return _finish(width, height, title, body, legend)


def scores_chart(
    scores: tuple[int, ...],
    region: tuple[int, ...] = (),
    boundaries: list[tuple[int, int]] | None = None,
    *,
    school_label: str = "ОО",
) -> SafeString:
    """The primary score distribution in percent of participants: the school's bars, the region's
    line, the least score of each mark as a dashed line; a peak at a boundary is highlighted."""
    width, height = 560, 210
    total, region_total = sum(scores), sum(region)
    length = max(len(scores), len(region))
    ours = [100.0 * scores[i] / total if total and i < len(scores) else 0.0 for i in range(length)]
    theirs = [
        100.0 * region[i] / region_total if region_total and i < len(region) else 0.0 for i in range(length)
    ]
    top = _top(ours + theirs)
    body, y = _frame(width, height, top)
    step = (width - PAD_LEFT - PAD_RIGHT) / max(length, 1)
    base = y(0)
    least = {score: mark for mark, score in (boundaries or [])}
    for i, value in enumerate(ours):
        peak = i in least and i > 0 and value > 0 and ours[i] >= 2 * max(ours[i - 1], 0.01)
        cls = "bar-school bar-peak" if peak else "bar-school"
        count = scores[i] if i < len(scores) else 0
        body.append(
            f'<rect class="{cls}" x="{PAD_LEFT + i * step + 0.5:.1f}" y="{y(value):.1f}" width="{max(step - 1, 1):.1f}" '
            f'height="{base - y(value):.1f}"><title>{i} б.: {count} ({num(value)} %)</title></rect>'
        )
        if i % 5 == 0 or i == length - 1:
            body.append(
                f'<text class="axis" x="{PAD_LEFT + i * step + step / 2:.1f}" y="{base + 13:.1f}" '
                f'text-anchor="middle">{i}</text>'
            )
    if region_total:
        points = " ".join(f"{PAD_LEFT + i * step + step / 2:.1f},{y(v):.1f}" for i, v in enumerate(theirs))
        body.append(f'<polyline class="line-region" points="{points}"/>')
    for score, mark in least.items():
        x = PAD_LEFT + score * step
        body.append(
            f'<line class="boundary" x1="{x:.1f}" x2="{x:.1f}" y1="{PAD_TOP}" y2="{base:.1f}"/>'
            f'<text class="boundary-label" x="{x + 2:.1f}" y="{PAD_TOP + 8}">«{mark}» от {score}</text>'
        )
    legend = [("bar-school", f"{school_label} ({total})")]
    if region_total:
        legend.append(("line-region-key", "регион"))
    title = f"Распределение первичных баллов, % участников: {school_label}, {total} участников"
    return _finish(width, height, title, body, legend)


def dynamics_chart(years: list[int], series: list[tuple[str, str, list[float | None]]]) -> SafeString:
    """Lines over the years; `series` is (class, label, value per year or None)."""
    width, height = 420, 200
    top = _top([v for _c, _l, values in series for v in values if v is not None])
    body, y = _frame(width, height, top)
    step = (width - PAD_LEFT - PAD_RIGHT) / max(len(years), 1)
    for i, year in enumerate(years):
        body.append(
            f'<text class="axis" x="{PAD_LEFT + i * step + step / 2:.1f}" y="{y(0) + 14:.1f}" '
            f'text-anchor="middle">{year}</text>'
        )
    for cls, _label, values in series:
        points = [(PAD_LEFT + i * step + step / 2, y(v), v) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            body.append(
                f'<polyline class="{cls}" points="{" ".join(f"{x:.1f},{py:.1f}" for x, py, _ in points)}"/>'
            )
        for x, py, v in points:
            body.append(
                f'<circle class="{cls}" cx="{x:.1f}" cy="{py:.1f}" r="3"><title>{num(v)} %</title></circle>'
                f'<text class="value" x="{x:.1f}" y="{py - 5:.1f}" text-anchor="middle">{num(v)}</text>'
            )
    legend = [(f"{cls}-key", label) for cls, label, _ in series]
    title = "Динамика, %: " + "; ".join(
        f"{label}: "
        + ", ".join(f"{year} — {num(v)}" for year, v in zip(years, values, strict=True) if v is not None)
        for _c, label, values in series
    )
    return _finish(width, height, title, body, legend)


def count_chart(bars: list[tuple[str, int, int]]) -> SafeString:
    """Schools with markers per year: (label, with markers, with results)."""
    width, height = 330, 170
    top = max([total for _l, _n, total in bars] + [1])
    plot_h = height - PAD_TOP - PAD_BOTTOM

    def y(value: float) -> float:
        return PAD_TOP + plot_h * (1 - value / top)

    body = [f'<line class="grid" x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" y1="{y(0)}" y2="{y(0)}"/>']
    slot = (width - PAD_LEFT - PAD_RIGHT) / max(len(bars), 1)
    for i, (label, marked, total) in enumerate(bars):
        x = PAD_LEFT + i * slot + slot / 4
        body.append(
            f'<rect class="bar-total" x="{x:.1f}" y="{y(total):.1f}" width="{slot / 2:.1f}" height="{y(0) - y(total):.1f}"/>'
            f'<rect class="bar-marked" x="{x:.1f}" y="{y(marked):.1f}" width="{slot / 2:.1f}" height="{y(0) - y(marked):.1f}"/>'
            f'<text class="value" x="{x + slot / 4:.1f}" y="{y(total) - 3:.1f}" text-anchor="middle">{marked} из {total}</text>'
            f'<text class="axis" x="{x + slot / 4:.1f}" y="{y(0) + 14:.1f}" text-anchor="middle">{escape(label)}</text>'
        )
    title = "ОО с маркерами по годам: " + ", ".join(f"{label} — {m} из {t}" for label, m, t in bars)
    return _finish(
        width, height, title, body, [("bar-marked", "ОО с маркерами"), ("bar-total", "ОО с результатами")]
    )
