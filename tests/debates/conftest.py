import pytest
from django.contrib.auth.models import Permission

from tests.factories import AgentMembershipFactory, UserFactory

from .factories import ContributionFactory, SectionFactory


@pytest.fixture
def organiser(db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="change_consultation"),
        Permission.objects.get(codename="change_contribution"),
        Permission.objects.get(codename="view_contribution"),
    )
    return user


@pytest.fixture
def agent(db):
    return AgentMembershipFactory().user


@pytest.fixture
def usager(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True)


@pytest.fixture
def section(db):
    return SectionFactory()


@pytest.fixture
def contribution(section):
    return ContributionFactory(section=section)
