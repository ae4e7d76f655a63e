import pytest
from django.core.exceptions import ValidationError

from schools.choices import OrgKind, Role
from schools.models import Membership, Organization
from tests.factories import MunicipalityFactory, RegionFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_school_records_its_municipality_region_and_time_zone():
    region = RegionFactory(timezone="Asia/Krasnoyarsk")
    school = SchoolFactory(parent=MunicipalityFactory(parent=region))
    assert school.region_id == region.pk
    assert school.municipality_id == school.parent_id
    assert school.timezone == "Asia/Krasnoyarsk"
    assert str(school.tz) == "Asia/Krasnoyarsk"


def test_within_returns_the_subtree_only():
    region = RegionFactory()
    m1, m2 = MunicipalityFactory(parent=region), MunicipalityFactory(parent=region)
    s1, s2 = SchoolFactory(parent=m1), SchoolFactory(parent=m2)
    assert set(Organization.objects.within(m1)) == {m1, s1}
    assert set(Organization.objects.within(region)) == {region, m1, m2, s1, s2}
    assert set(Organization.objects.within(s2)) == {s2}


def test_a_school_must_sit_in_a_municipality():
    region = RegionFactory()
    school = Organization(kind=OrgKind.SCHOOL, code="x", name="Школа", parent=region)
    with pytest.raises(ValidationError) as err:
        school.full_clean()
    assert "муниципалитет" in str(err.value)


def test_a_role_is_held_in_the_right_kind_of_organisation():
    membership = Membership(user=UserFactory(), organization=SchoolFactory(), role=Role.HEAD)
    with pytest.raises(ValidationError) as err:
        membership.full_clean()
    assert "муниципалитет" in str(err.value)
