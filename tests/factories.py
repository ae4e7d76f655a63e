"""factory_boy factories for the domain. Organisations get unique codes; users a known password."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from activities.choices import DeadlineKind, PlanStatus
from activities.models import Activity, Execution, Plan, Section
from schools.choices import OrgKind
from schools.models import Membership, Organization

PASSWORD = "test-password-1"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrgKind.REGION
    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Регион {n}")


class MunicipalityFactory(RegionFactory):
    kind = OrgKind.MUNICIPALITY
    code = factory.Sequence(lambda n: f"mun-{n}")
    name = factory.Sequence(lambda n: f"Муниципальный район {n}")
    parent = factory.SubFactory(RegionFactory)


class SchoolFactory(RegionFactory):
    kind = OrgKind.SCHOOL
    code = factory.Sequence(lambda n: f"school-{n}")
    name = factory.Sequence(lambda n: f"МБОУ «СОШ № {n}»")
    parent = factory.SubFactory(MunicipalityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(MunicipalityFactory)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    owner = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"План мероприятий № {n}")
    period_start = date(2025, 9, 1)
    period_end = date(2026, 8, 31)
    status = PlanStatus.APPROVED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Раздел {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    section = factory.SubFactory(SectionFactory)
    plan = factory.SelfAttribute("section.plan")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Мероприятие {n}")
    deadline_text = "Постоянно"
    deadline_kind = DeadlineKind.CONTINUOUS


class ExecutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Execution

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.SubFactory(SchoolFactory)
