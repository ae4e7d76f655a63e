"""A working day of every role against a running server: `locust -f this --host URL`, with the ids
the runner wrote (LOAD_IDS, from bench.load.prepare) and a file for the writes the server
acknowledged (LOAD_WRITES). Run only as a subprocess: locust monkey-patches the process with gevent.

Each simulated user logs in through the real login form (the CSRF token read from the form) with
an account of his role and then does what that role does, with a think time between pages. Every
answer that is not 2xx/3xx, lands on the login page, or lacks the text its page must show counts
as a failure. A write (an execution reported with a comment) is checked on the page it redirects
to, and recorded so that the runner can find every acknowledged one in the database afterwards.
"""

import itertools
import json
import os
import random
import re
import uuid

from locust import FastHttpUser, between, events, task

IDS = json.loads(open(os.environ["LOAD_IDS"], encoding="utf-8").read())
ACCOUNTS = IDS["accounts"]
PUBLIC = IDS["public"]
LOGGED_IN = 'action="/accounts/logout/"'
# Think time between pages, seconds (LOAD_WAIT="1,5"); a request slower than TIMEOUT is a failure.
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1,5").split(","))
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "60"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_slots = {role: itertools.count() for role in ACCOUNTS}
_claimed: set[int] = set()  # executions taken by a user: two users never write the same one
_writes: list[dict] = []  # writes the server acknowledged, for the runner's check


@events.quitting.add_listener
def _save_writes(environment, **kwargs):
    path = os.environ.get("LOAD_WRITES")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(_writes, f, ensure_ascii=False)


class RoleUser(FastHttpUser):
    """A logged-in user of `role`, on one of its accounts (round robin). FastHttpUser (geventhttpclient),
    as the anchors: the load generator shares the server's two cores, and python-requests cost it
    several times more CPU a request."""

    abstract = True
    role = ""
    wait_time = between(*WAIT)
    network_timeout = connection_timeout = TIMEOUT

    def on_start(self):
        accounts = ACCOUNTS[self.role]
        self.account = accounts[next(_slots[self.role]) % len(accounts)]
        mine = [e for e in self.account.get("executions", []) if e["id"] not in _claimed]
        self.executions = mine[:3]
        _claimed.update(e["id"] for e in self.executions)
        self.login()

    # Helpers ---------------------------------------------------------------------------------

    def page(self, url: str, label: str, expect: str = "", logged_in: bool = True, fragment: bool = False):
        """GET a page; a failure unless 200, still logged in (a fragment: not sent to the login
        page) and showing `expect`."""
        name = f"{self.role}: {label}"
        # A fragment is not followed through a redirect: sent to the login page it answers 302.
        with self.client.get(url, name=name, catch_response=True, allow_redirects=not fragment) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif logged_in and not (fragment or LOGGED_IN in r.text):
                r.failure("not logged in (sent to the login page)")
            elif expect and expect not in r.text:
                r.failure(f"the page lacks «{expect}»")
            else:
                r.success()
            return r

    def login(self):
        r = self.page("/accounts/login/", "login form", "csrfmiddlewaretoken", logged_in=False)
        token = CSRF.search(r.text or "")
        if not token:
            return
        form = {
            "username": self.account["username"],
            "password": self.account["password"],
            "csrfmiddlewaretoken": token.group(1),
            "next": "",
        }
        with self.client.post("/accounts/login/", data=form, name=f"{self.role}: login", catch_response=True) as r:
            if r.status_code != 200 or LOGGED_IN not in r.text or "Здравствуйте" not in r.text:
                r.failure(f"login refused (HTTP {r.status_code})")
            else:
                r.success()

    def report(self):
        """Open one of the user's executions, its report form, and report it with a comment:
        in progress, or done where the activity needs no file or one is attached already."""
        if not self.executions:
            return
        e = random.choice(self.executions)
        self.page(f"/executions/{e['id']}/", "execution", "Комментарий" if e.get("seen") else "")
        form = self.page(
            f"/executions/{e['id']}/report/", "report form", "csrfmiddlewaretoken", fragment=True
        )
        token = CSRF.search(form.text or "")
        if not token:
            return
        done = e["can_done"] and random.random() < 0.5
        comment = f"Нагрузка, {self.account['username']}: {uuid.uuid4().hex[:12]}"
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "comment": comment,
            "action": "done" if done else "progress",
        }
        notice = "Отмечено" if done else "Сохранено: в работе."
        page = f"/executions/{e['id']}/"
        # The POST and the page it redirects to are two requests (as the server sees them).
        with self.client.post(
            f"{page}report/",
            data=data,
            name=f"{self.role}: report (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            location = (r.headers or {}).get("Location", "")
            if r.status_code != 302 or not location.endswith(page):
                r.failure(f"HTTP {r.status_code}, sent to «{location}»")
                return
            r.success()
        with self.client.get(page, name=f"{self.role}: report (page after)", catch_response=True) as r:
            if r.status_code != 200 or notice not in r.text or comment not in r.text:
                r.failure(f"the report is not shown as saved with its comment (HTTP {r.status_code})")
            else:
                r.success()
                e["seen"] = True
                _writes.append({"execution": e["id"], "comment": comment})

    def plan(self, key: str = "plans"):
        plans = self.account.get(key) or []
        return random.choice(plans) if plans else None


class SchoolCoordinator(RoleUser):
    """Школьный координатор: his tasks, the plan, ticking off with a comment, the school's results."""

    role = "school"
    weight = 10

    @task(3)
    def home(self):
        self.page("/", "home", "Здравствуйте")

    @task(4)
    def my_tasks(self):
        self.page("/tasks/", "tasks", "Мои задачи")

    @task(2)
    def plan_page(self):
        if (pk := self.plan("ok_plans")) is not None:
            self.page(f"/plans/{pk}/", "plan")

    @task(4)
    def tick(self):
        self.report()

    @task(1)
    def results(self):
        self.page(f"/results/school/{self.account['org']}/", "school results")

    @task(1)
    def notifications(self):
        self.page("/notifications/", "notifications", "Уведомления")


class MunicipalCoordinator(RoleUser):
    """Муниципальный координатор: progress of the plan and of a school, own tasks, the observers'
    board, the results markers, the flags."""

    role = "coordinator"
    weight = 3

    @task(2)
    def home(self):
        self.page("/", "home", "Здравствуйте")

    @task(2)
    def plan_page(self):
        if (pk := self.plan()) is not None:
            self.page(f"/plans/{pk}/", "plan")

    @task(3)
    def progress(self):
        if (pk := self.plan("dashboard_plans")) is not None:
            self.page(f"/plans/{pk}/progress/", "plan progress", "Ход выполнения плана")
            if self.account.get("schools"):
                school = random.choice(self.account["schools"])
                self.page(f"/plans/{pk}/progress/schools/{school}/", "school progress")

    @task(2)
    def my_tasks(self):
        self.page("/tasks/", "tasks", "Мои задачи")

    @task(2)
    def tick(self):
        self.report()

    @task(1)
    def board(self):
        for campaign in self.account.get("campaigns", [])[:1]:
            self.page(f"/vpr/{campaign}/{self.account['org']}/board/", "observers board", "наблюдатели")

    @task(1)
    def markers(self):
        self.page(f"/results/{self.account['org']}/", "results markers", "Результаты ВПР и маркеры")

    @task(1)
    def flags(self):
        self.page(f"/schools/{self.account['org']}/flags/", "flags")

    @task(1)
    def notifications(self):
        self.page("/notifications/", "notifications", "Уведомления")


class Head(RoleUser):
    """Руководитель органа управления образованием: the plan, its progress, orders, markers."""

    role = "head"
    weight = 1

    @task(2)
    def home(self):
        self.page("/", "home", "Здравствуйте")

    @task(2)
    def progress(self):
        if (pk := self.plan("dashboard_plans")) is not None:
            self.page(f"/plans/{pk}/progress/", "plan progress", "Ход выполнения плана")

    @task(1)
    def plan_page(self):
        if (pk := self.plan()) is not None:
            self.page(f"/plans/{pk}/", "plan")

    @task(1)
    def orders(self):
        self.page("/orders/", "orders")

    @task(1)
    def markers(self):
        self.page(f"/results/{self.account['org']}/", "results markers", "Результаты ВПР и маркеры")

    @task(1)
    def board(self):
        for campaign in self.account.get("campaigns", [])[:1]:
            self.page(f"/vpr/{campaign}/{self.account['org']}/board/", "observers board", "наблюдатели")


class Specialist(RoleUser):
    """Ответственный специалист: the activities that name him, ticked off with a comment."""

    role = "specialist"
    weight = 2

    @task(2)
    def home(self):
        self.page("/", "home", "Здравствуйте")

    @task(3)
    def my_tasks(self):
        self.page("/tasks/", "tasks", "Мои задачи")

    @task(1)
    def plan_page(self):
        if (pk := self.plan()) is not None:
            self.page(f"/plans/{pk}/", "plan")

    @task(2)
    def tick(self):
        self.report()

    @task(1)
    def notifications(self):
        self.page("/notifications/", "notifications", "Уведомления")


class Observer(RoleUser):
    """Общественный наблюдатель: his assignments and notifications."""

    role = "observer"
    weight = 1

    @task(2)
    def home(self):
        self.page("/", "home", "Здравствуйте")

    @task(3)
    def assignments(self):
        self.page("/my/observations/", "assignments", "Мои наблюдения")

    @task(1)
    def notifications(self):
        self.page("/notifications/", "notifications", "Уведомления")


class RegionalAdmin(RoleUser):
    """Региональный администратор: the regional overview, the plans, the region's markers."""

    role = "admin"
    weight = 1

    @task(2)
    def home(self):
        self.page("/", "home", "Здравствуйте")

    @task(2)
    def region(self):
        for pk in self.account.get("regions", [])[:1]:
            self.page(f"/regions/{pk}/progress/", "region progress", "ход выполнения планов")

    @task(1)
    def plan_page(self):
        if (pk := self.plan()) is not None:
            self.page(f"/plans/{pk}/", "plan")

    @task(1)
    def markers(self):
        self.page(f"/results/{self.account['org']}/", "results markers", "Результаты ВПР и маркеры")


class PublicReader(FastHttpUser):
    """Anyone, no login: the published plans of a municipality and the check of a signed order."""

    role = "public"
    weight = 3
    wait_time = between(*WAIT)
    network_timeout = connection_timeout = TIMEOUT

    def page(self, url: str, label: str, expect: str):
        with self.client.get(url, name=f"public: {label}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif expect not in r.text:
                r.failure(f"the page lacks «{expect}»")
            else:
                r.success()

    @task(2)
    def plans(self):
        self.page(f"/public/{random.choice(PUBLIC['codes'])}/", "public plans", "<h1>")

    @task(3)
    def plan(self):
        code, pk = random.choice(PUBLIC["plans"])
        self.page(f"/public/{code}/plans/{pk}/", "public plan", "<h1")

    @task(1)
    def verify(self):
        self.page("/verify/", "verify", "Проверка подлинности документа")
        if PUBLIC["documents"]:
            document = random.choice(PUBLIC["documents"])
            self.page(f"/verify/{document}/", "verify document", "Подписанный документ")
