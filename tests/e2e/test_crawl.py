"""Every demo role's day, crawled: each role logs in and follows every same-site link and GET form
reachable from its home page, breadth first, at 1366×900 and 390×844 in Chromium. Every page must
fit the screen, log no console error or CSP violation, answer below 400 (the page and everything
it loads), show no raw identifier and have a title. All failures are reported together.

CRAWL_MAX_PAGES bounds the pages per role (CI default keeps the crawl within ~3 minutes);
CRAWL_PER_KIND bounds how many URLs of one kind (/executions/<id>/) are visited."""

import os
from collections import deque

import pytest

from tests.e2e.crawl import PAGE_FACTS, Tally, form_url, normalise, pattern, raw_identifiers
from vprplan.demo import DEMO_PASSWORD

ROLES = ("admin", "head", "coordinator", "specialist", "school", "observer")
WIDTHS = ((1366, 900), (390, 844))
MAX_PAGES = int(os.environ.get("CRAWL_MAX_PAGES", "25"))
PER_KIND = int(os.environ.get("CRAWL_PER_KIND", "2"))
DEFAULT_TITLE = "vprplan — vprplan"


def _log_in(browser, base_url: str, username: str, viewport: tuple[int, int]):
    context = browser.new_context(base_url=base_url, viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{base_url}/")
    return page


class Watch:
    """The console errors and failed responses of one page between two navigations."""

    def __init__(self, page, origin: str):
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"ошибка JavaScript: {error}"))
        page.on("response", lambda r: self._response(r, origin))

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response, origin: str) -> None:
        if response.status >= 400 and response.url.startswith(origin) and response.request.resource_type != "document":
            self.problems.append(f"{response.request.resource_type} {response.url} ответил {response.status}")

    def take(self) -> list[str]:
        found, self.problems = self.problems, []
        return found


def check_page(page, watch: Watch, url: str, role: str, width: int, tally: Tally) -> dict | None:
    """Open url and run every check; the page's facts (links, forms) for the crawl, or None."""
    try:
        response = page.goto(url)
    except Exception as error:  # a download, a timeout: the page never showed
        tally.fail(role, width, url, f"не открылась: {str(error).splitlines()[0]}")
        return None
    tally.checks += 1
    if response is None or response.status >= 400:
        tally.fail(role, width, url, f"ответ {response.status if response else 'нет'}")
        watch.take()
        return None
    if not response.headers.get("content-type", "").startswith("text/html"):
        watch.take()
        return None
    facts = page.evaluate(PAGE_FACTS)
    for problem in watch.take():
        tally.fail(role, width, url, problem)
    if facts["scrollWidth"] > facts["innerWidth"]:
        tally.fail(role, width, url, f"шире экрана: {facts['scrollWidth']} > {facts['innerWidth']} px, "
                                     f"выступают: {', '.join(facts['wide'])}")
    if not facts["title"] or facts["title"] == DEFAULT_TITLE:
        tally.fail(role, width, url, f"нет заголовка страницы (<title>: «{facts['title']}»)")
    if not facts["icons"]:
        tally.fail(role, width, url, "нет <link rel=icon>: браузер запросит /favicon.ico и получит 404")
    for icon in facts["icons"]:
        if icon not in tally.icons:
            tally.icons[icon] = page.request.get(icon).status
        if tally.icons[icon] >= 400:
            tally.fail(role, width, url, f"значок {icon} ответил {tally.icons[icon]}")
    raw = raw_identifiers(facts["text"] + "\n" + facts["title"], frozenset(ROLES))
    if raw:
        tally.fail(role, width, url, f"сырые идентификаторы: {', '.join(raw)}")
    return facts


def crawl_role(browser, base_url: str, role: str, tally: Tally) -> int:
    """Breadth-first from the role's home page; returns the number of pages visited."""
    pages = [_log_in(browser, base_url, role, size) for size in WIDTHS]
    watches = [Watch(page, base_url) for page in pages]
    for watch in watches:
        watch.take()  # the login page was checked by nobody's crawl: it is not the role's day
    start = f"{base_url}/"
    queue, seen, kinds, visited = deque([(start, "—")]), {start}, {}, 0
    while queue and visited < MAX_PAGES:
        url, came_from = queue.popleft()
        kind = pattern(url)
        if kinds.get(kind, 0) >= PER_KIND:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        visited += 1
        facts, before = None, len(tally.failures)
        for page, watch, (width, _height) in zip(pages, watches, WIDTHS, strict=True):
            result = check_page(page, watch, url, role, width, tally)
            facts = facts or result
        if facts is None:
            tally.failures[before:] = [f"{f} (ссылка со страницы {came_from})" for f in tally.failures[before:]]
            continue
        found = [normalise(url, href, base_url) for href in facts["links"]]
        for form in facts["forms"]:
            found += [normalise(url, form_url(form["action"], form[k]), base_url) for k in ("plain", "filled")]
        for link in found:
            if link and link not in seen:
                seen.add(link)
                queue.append((link, url))
    for page in pages:
        page.context.close()
    return visited


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_role_crawls_clean_on_desktop_and_phone(demo, browser, live_server, record_property):
    tally = Tally()
    for role in ROLES:
        tally.pages += crawl_role(browser, live_server.url, role, tally)
    record_property("crawl roles", len(ROLES))
    record_property("crawl pages", tally.pages)
    record_property("crawl widths", len(WIDTHS))
    record_property("crawl checks", tally.checks)
    record_property("crawl failures", len(tally.failures))
    assert not tally.failures, f"{len(tally.failures)} failures in {tally.checks} checks:\n" + "\n".join(
        tally.failures
    )
