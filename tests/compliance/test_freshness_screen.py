"""Where reminders lead: a section's state, "reviewed, still accurate", and the school's update period."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry

from compliance.services import school_scan
from regulation.roles import Role
from school_sections.models import NewsIndexPage
from tests.factories import login_verified
from workflows.models import SectionFreshness
from workflows.services import responsibility_set


def test_2_2_3_the_responsible_teacher_confirms_and_the_administrator_sets_the_period(make_school, client_for):
    provisioned = make_school(subdomain="freshness")
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        User = get_user_model()
        teacher = User.objects.create_user("t@fresh.kz", email="t@fresh.kz")
        teacher.groups.add(Group.objects.get(name=Role.EDITORIAL_MEMBER.value))
        news = NewsIndexPage.objects.get()
        responsibility_set(section=news, people=[teacher])
        url = f"/admin/sections/{news.pk}/freshness/"

        login_verified(client, teacher)
        page = client.get(url).content.decode()
        assert "Reviewed, still accurate" in page and "Update period in this school" not in page
        client.post(url, {"reviewed": "1"})
        assert SectionFreshness.objects.get(section=news).reviewed_at is not None
        assert PageLogEntry.objects.filter(page=news, action="workflows.section_reviewed", user=teacher).exists()
        assert client.post(url, {"period": "1", "period_days": "7"}).status_code in (302, 403)
        assert SectionFreshness.objects.get(section=news).period_days is None

        login_verified(client, User.objects.get(groups__name=Role.SITE_ADMINISTRATOR.value))
        too_long = client.post(url, {"period": "1", "period_days": "400"})
        assert "a school may only shorten the period" in too_long.content.decode()
        client.post(url, {"period": "1", "period_days": "7"})
        assert SectionFreshness.objects.get(section=news).period_days == 7


def test_the_dashboard_lists_the_sections_to_update_for_the_person(make_school, client_for):
    provisioned = make_school(subdomain="dashboard-stale")
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        User = get_user_model()
        teacher = User.objects.create_user("t@stale.kz", email="t@stale.kz")
        teacher.groups.add(Group.objects.get(name=Role.EDITORIAL_MEMBER.value))
        responsibility_set(section=NewsIndexPage.objects.get(), people=[teacher])
        school_scan(now=timezone.now() + timezone.timedelta(days=400))
        login_verified(client, teacher)
        dashboard = client.get("/admin/").content.decode()
        assert "Sections that need an update" in dashboard and "News" in dashboard
        assert (
            "Contact information</td>" not in dashboard.split("Sections that need an update")[1].split("</section>")[0]
        )
