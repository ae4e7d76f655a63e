from datetime import date, time

import pytest

from tests.observers.factories import CampaignFactory, ObserverFactory, SessionFactory


@pytest.fixture
def vpr(world):
    """The World with VPR-2024 in both regions: sessions at S1, S2 (M1) and S3 (M2), S4 (region B),
    and M1's observers — `mine` is the World's observer user, `teacher` works at S1."""
    w = world
    w.orgs["campaign"] = CampaignFactory(region=w.region)
    w.orgs["campaign_b"] = CampaignFactory(region=w.region_b)
    at = dict(campaign=w.campaign, date=date(2024, 4, 16), starts_at=time(9, 0), ends_at=time(10, 30))
    w.orgs["rus_s1"] = SessionFactory(school=w.s1, subject="Русский язык", **at)
    w.orgs["mat_s1"] = SessionFactory(school=w.s1, subject="Математика", **{**at, "date": date(2024, 4, 18)})
    w.orgs["rus_s2"] = SessionFactory(school=w.s2, subject="Русский язык", **at)
    w.orgs["rus_s3"] = SessionFactory(school=w.s3, subject="Русский язык", **at)
    w.orgs["rus_s4"] = SessionFactory(
        school=w.s4, campaign=w.campaign_b, subject="Русский язык", date=at["date"]
    )
    w.orgs["mine"] = ObserverFactory(municipality=w.m1, full_name="Ковалёва И.С.", user=w.observer)
    w.orgs["teacher"] = ObserverFactory(municipality=w.m1, full_name="Белова Т.А.", workplace_school=w.s1)
    w.orgs["free"] = ObserverFactory(municipality=w.m1, full_name="Петров С.И.")
    w.orgs["m2_observer"] = ObserverFactory(municipality=w.m2, full_name="Соседов П.П.")
    return w
