"""The VPR campaign and a school's sessions: their own checks and the date warnings."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError

from schools.models import VprSession
from schools.models.vpr import busy_interval, date_warnings
from tests.factories import MunicipalityFactory, RegionFactory, SchoolFactory
from tests.observers.factories import CampaignFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_campaign_window_must_make_sense():
    campaign = CampaignFactory.build(
        region=RegionFactory(), ends_on=date(2024, 3, 1), results_on=date(2024, 2, 1)
    )
    with pytest.raises(ValidationError) as caught:
        campaign.full_clean()
    assert set(caught.value.message_dict) == {"ends_on", "results_on"}
    municipality = MunicipalityFactory()
    with pytest.raises(ValidationError, match="проводится в регионе"):
        CampaignFactory.build(region=municipality).full_clean()


def test_one_campaign_per_region_and_year():
    campaign = CampaignFactory()
    with pytest.raises(ValidationError):
        CampaignFactory.build(region=campaign.region).full_clean()


def test_session_belongs_to_a_school_of_the_campaigns_region():
    campaign = CampaignFactory()
    elsewhere = SchoolFactory()  # another region
    session = VprSession(
        campaign=campaign, school=elsewhere, subject="Математика", grade=4, date=date(2024, 4, 16)
    )
    with pytest.raises(ValidationError, match="не относится к региону"):
        session.full_clean()
    here = SchoolFactory(parent=MunicipalityFactory(parent=campaign.region))
    session = VprSession(campaign=campaign, school=here, subject="Математика", grade=4, date=date(2024, 4, 16),
                         starts_at=time(10), ends_at=time(9))  # fmt: skip
    with pytest.raises(ValidationError, match="Окончание должно быть позже начала"):
        session.full_clean()
    session.grade = 12
    with pytest.raises(ValidationError) as caught:
        session.full_clean()
    assert "grade" in caught.value.message_dict


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2024, 4, 16), []),
        (date(2024, 4, 27), []),  # a Saturday made a working day by the 2024 transfer
        (date(2024, 4, 13), ["13.04.2024 (суббота) — выходной день по производственному календарю."]),
        (
            date(2024, 5, 9),
            ["09.05.2024 (четверг) — нерабочий праздничный день по производственному календарю."],
        ),
        (date(2024, 3, 11), ["Дата 11.03.2024 вне сроков проведения ВПР (15.03.2024 — 17.05.2024)."]),
        (
            date(2024, 5, 18),
            [
                "Дата 18.05.2024 вне сроков проведения ВПР (15.03.2024 — 17.05.2024).",
                "18.05.2024 (суббота) — выходной день по производственному календарю.",
            ],
        ),
    ],
)
def test_date_warnings(day, expected):
    campaign = CampaignFactory.build()
    assert date_warnings(day, campaign) == expected


def test_session_shows_its_warnings_and_labels():
    session = SessionFactory(date=date(2024, 4, 13), class_letters="А, Б", starts_at=time(9), ends_at=None)
    assert session.schedule_warnings() == [
        "13.04.2024 (суббота) — выходной день по производственному календарю."
    ]
    assert (session.classes_label, session.time_label) == ("4 А, Б", "09:00")
    session.class_letters = ""
    assert session.classes_label == "4 кл."


def test_busy_interval_takes_hours_ninety_minutes_or_the_whole_day():
    day = date(2024, 4, 16)
    assert busy_interval(day, time(9), time(9, 45)) == (
        datetime(2024, 4, 16, 9),
        datetime(2024, 4, 16, 9, 45),
    )
    assert busy_interval(day, time(9), None) == (datetime(2024, 4, 16, 9), datetime(2024, 4, 16, 10, 30))
    assert busy_interval(day, None, None) == (datetime(2024, 4, 16), datetime(2024, 4, 17))
