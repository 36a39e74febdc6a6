"""One permissions module (regulation.permissions): what it says is what the site does."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from regulation.permissions import CAPABILITY_ROLES, Capability, user_may
from regulation.roles import Role


@pytest.mark.django_db
def test_the_groups_that_may_publish_pages_are_the_ones_the_permissions_name(school_site):
    """Clause 4.2: Wagtail's publish right (given by the roles' migrations) follows Capability.PUBLISH."""
    publishing = set(
        GroupPagePermission.objects.filter(permission__codename="publish_page").values_list("group__name", flat=True)
    )
    assert publishing == {role.value for role in CAPABILITY_ROLES[Capability.PUBLISH]}


@pytest.mark.django_db
@pytest.mark.parametrize("capability", list(Capability))
def test_each_capability_is_held_by_its_roles_only(school_site, capability):
    User = get_user_model()
    for role in Role:
        user = User.objects.create_user(f"{role.name.lower()}-{capability.name.lower()}@perm.kz")
        user.groups.add(Group.objects.get(name=role.value))
        assert user_may(user, capability) == (role in CAPABILITY_ROLES[capability]), (role, capability)
        user.is_active = False
        assert not user_may(user, capability)  # a deactivated account may do nothing


def test_every_capability_names_at_least_one_role():
    assert set(CAPABILITY_ROLES) == set(Capability)
    assert all(CAPABILITY_ROLES[capability] for capability in Capability)
