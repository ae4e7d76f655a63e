"""The crawler's pieces (tests/e2e/test_crawl.py): which links it follows, what it calls a raw
identifier, and the checks it runs on every page in Chromium."""

import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from django.apps import apps

PROJECT_APPS = ("vprplan", "schools", "activities", "observers", "reports", "results")

# Never followed: they end the session, belong to Django's admin, or answer a file, not a page.
SKIP_PREFIXES = ("/accounts/logout/", "/admin/", "/static/", "/media/", "/notifications/unsubscribe/")
DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".xls", ".docx", ".doc", ".csv", ".zip", ".ics", ".sig", ".p7s", ".png", ".jpg")
DOWNLOAD_PARTS = ("/download/", "/export.", "/act/", "/scan/")
EVIDENCE = re.compile(r"^/evidence/\d+/$")

# English texts Django (or a template that printed a Python value) shows when Russian is missing.
ENGLISH_TEXTS = (
    "Not Found", "Page not found", "Server Error", "Forbidden", "Bad Request", "This field is required",
    "Enter a valid", "Select a valid choice", "Ensure this value", "Traceback", "CSRF verification",
    "[object Object]",
    "---------",  # Django's empty choice of a select: vprplan.widgets.name_empty_choices words it
)
ENGLISH_WORDS = ("None", "True", "False", "undefined", "NaN")
# «act.pdf», «vprplan.local», «mail@inta.ru»: dotted words that are files and hosts, not codes.
NOT_CODE_TAILS = {
    "pdf", "xlsx", "xls", "docx", "doc", "csv", "zip", "png", "jpg", "jpeg", "sig", "p7s", "ics", "txt",
    "odt", "ods", "ru", "com", "org", "net", "local", "example", "su", "rf", "gov",
}
DOTTED = re.compile(r"(?<![\w@./-])([a-z]+(?:_[a-z]+)*)\.([a-z]+(?:_[a-z]+)*)(?![\w@/-]|\.\w)")
SNAKE = re.compile(r"(?<![\w@./-])[a-z]+(?:_[a-z]+)+(?![\w@/-]|\.\w)")


@cache
def enum_codes() -> frozenset[str]:
    """Every stored choice value of the project's models that is a code word (latin, 3+ letters)."""
    codes = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{2,}", value):
                    codes.add(value)
    return frozenset(codes)


def raw_identifiers(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """The raw identifiers in a page's visible text: snake_case field names and enum codes,
    dotted codes such as «plan.approved», bare enum codes, and English Django texts. names are
    login names the page may show as they are (a user picker lists «observer»)."""
    found = []
    for phrase in ENGLISH_TEXTS:
        if phrase in text:
            found.append(phrase)
    for word in ENGLISH_WORDS:
        if re.search(rf"(?<![\w-]){word}(?![\w-])", text):
            found.append(word)
    for match in DOTTED.finditer(text):
        if match.group(2) not in NOT_CODE_TAILS:
            found.append(match.group(0))
    found += [word for word in SNAKE.findall(text) if word not in names]
    codes = enum_codes()
    for word in re.findall(r"(?<![\w@./-])[a-z]{3,}(?![\w@/-]|\.\w)", text):
        if word in codes and word not in names:
            found.append(word)
    return sorted(set(found))


def normalise(base: str, href: str, origin: str) -> str | None:
    """The absolute same-site page URL to follow from href on base, or None to leave it."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(base, href))
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or is_download(path):
        return None
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def is_download(path: str) -> bool:
    return path.lower().endswith(DOWNLOAD_SUFFIXES) or any(p in path for p in DOWNLOAD_PARTS) or bool(
        EVIDENCE.match(path)
    )


def pattern(url: str) -> str:
    """The page kind of a URL: ids and codes replaced, query reduced to its parameter names, so that
    the crawl sees every kind of page instead of a hundred executions."""
    parts = urlsplit(url)
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27,}(?=/)", "/<uuid>", parts.path)
    path = re.sub(r"/\d+(?=/|$)", "/<id>", path)
    keys = sorted({kv.split("=", 1)[0] for kv in parts.query.split("&") if kv})
    return path + ("?" + "&".join(keys) if keys else "")


def form_url(action: str, fields: list[tuple[str, str]]) -> str:
    parts = urlsplit(action)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode([tuple(f) for f in fields]), ""))


@dataclass
class Failure:
    role: str
    width: int
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.role} @{self.width}px {self.url}: {self.reason}"


@dataclass
class Tally:
    pages: int = 0
    checks: int = 0
    failures: list[Failure] = field(default_factory=list)
    icons: dict = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)
    # Values a page shows as they were typed (login names, schools' ФИС ОКО logins), not codes.
    names: frozenset[str] = frozenset()

    def fail(self, role: str, width: int, url: str, reason: str) -> None:
        self.failures.append(Failure(role, width, url, reason))


# Run in the page after it loaded: what the checks need, in one round trip.
PAGE_FACTS = """() => {
  const links = Array.from(document.querySelectorAll('a[href]'))
    .filter(a => !a.hasAttribute('download'))
    .map(a => a.href);
  const forms = [];
  for (const form of document.querySelectorAll('form')) {
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
    const plain = [], filled = [];
    for (const el of form.elements) {
      if (!el.name || el.disabled || el.type === 'file' || el.type === 'submit' || el.type === 'button') continue;
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked) plain.push([el.name, el.value]);
        if (el.type === 'checkbox') filled.push([el.name, el.value]);
        else if (el.checked) filled.push([el.name, el.value]);
      } else if (el.tagName === 'SELECT') {
        plain.push([el.name, el.value]);
        const last = el.options.length ? el.options[el.options.length - 1].value : el.value;
        filled.push([el.name, last]);
      } else {
        plain.push([el.name, el.value]);
        filled.push([el.name, el.value]);
      }
    }
    forms.push({action: form.action || location.href, plain, filled});
  }
  return {
    links, forms,
    title: document.title.trim(),
    icons: Array.from(document.querySelectorAll('link[rel~=icon]')).map(l => l.href),
    text: document.body ? document.body.innerText : '',
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: document.documentElement.scrollWidth <= window.innerWidth ? [] :
      Array.from(document.querySelectorAll('body *'))
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                      && el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
        .slice(0, 3)
        .map(el => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim()
                   ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                   + ' ' + Math.round(el.getBoundingClientRect().right) + 'px'),
  };
}"""
