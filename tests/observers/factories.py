"""Factories for the VPR schedule and the observers (on top of tests.factories)."""

from datetime import date, time

import factory

from observers.choices import ObserverKind
from observers.models import Assignment, Observer
from schools.models import VprCampaign, VprSession
from tests.factories import MunicipalityFactory, RegionFactory, SchoolFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VprCampaign

    region = factory.SubFactory(RegionFactory)
    year = 2024
    starts_on = date(2024, 3, 15)
    ends_on = date(2024, 5, 17)
    results_on = date(2024, 5, 31)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VprSession

    school = factory.SubFactory(SchoolFactory)
    campaign = factory.LazyAttribute(
        lambda s: (
            VprCampaign.objects.filter(region_id=s.school.region_id, year=2024).first()
            or CampaignFactory(region_id=s.school.region_id)
        )
    )
    subject = factory.Sequence(lambda n: f"Предмет {n}")
    grade = 4
    class_letters = "А"
    date = date(2024, 4, 16)
    starts_at = time(9, 0)
    ends_at = time(10, 30)
    participants = 25


class ObserverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observer
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    full_name = factory.Sequence(lambda n: f"Наблюдатель № {n}")
    kind = ObserverKind.PARENT
    accreditation_number = factory.Sequence(lambda n: f"ОН-{n}")
    accreditation_date = date(2024, 3, 20)
    trained_on = date(2024, 3, 14)
    consent_given = True
    consent_date = date(2024, 3, 1)
    phone = "+7 900 000-00-00"

    @factory.post_generation
    def children(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.children_schools.set(extracted)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    session = factory.SubFactory(SessionFactory)
    observer = factory.SubFactory(ObserverFactory)
