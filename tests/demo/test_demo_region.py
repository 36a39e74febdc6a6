"""``make demo`` on another address (issue 17, point 3): the printed sign-in details, the schools' Wagtail sites
(their sitemaps) and the console's links follow the port it serves on, also when it is started again on
another one; and the demo has ninety days of compliance history, so that the trends are lines."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Site

from compliance.models import ComplianceSnapshot
from demo.history import HISTORY_DAYS
from tenants.models import Domain
from tests.factories import console_client


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    """Run ``demo_region`` as ``make demo`` does on a port; its printed summary."""
    monkeypatch.setenv("PLATFORM_DATA_DIR", str(tmp_path))

    def run(port: int) -> str:
        settings.PLATFORM_PORT = port
        call_command("demo_region", stdout=(out := _Out()))
        connection.set_schema_to_public()
        return out.text

    return run


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text, *args, **kwargs):
        self.text += text

    def flush(self):
        pass


def _demo_hosts() -> list[Domain]:
    return list(Domain.objects.filter(domain__startswith="school-", is_primary=True).select_related("tenant"))


def test_a_demo_started_again_on_another_port_links_to_that_port(demo, client_for):
    printed = demo(8123)
    assert "http://edu.test:8123/" in printed and "http://school-1.edu.test:8123/admin/" in printed
    assert ":8000" not in printed

    printed = demo(8124)  # the same demo, started again with DEMO_ADDRESS=…:8124
    assert "http://edu.test:8124/" in printed and ":8123" not in printed
    hosts = _demo_hosts()
    assert len(hosts) == 3
    for domain in hosts:
        with schema_context(domain.tenant.schema_name):
            assert list(Site.objects.values_list("hostname", "port")) == [(domain.domain, 8124)]
    sitemap = client_for(hosts[0].domain).get("/sitemap.xml").content.decode()
    assert f"<loc>http://{hosts[0].domain}:8124/</loc>" in sitemap and ":8123" not in sitemap

    connection.set_schema_to_public()
    office = console_client(client_for, "office-demo-port")
    overview = office.get("/").content.decode()
    assert f'href="http://{hosts[0].domain}:8124/"' in overview
    assert f'href="http://{hosts[0].domain}:8124/admin/"' in overview
    school_page = office.get(f"/schools/{hosts[0].tenant.pk}/").content.decode()
    assert f'href="http://{hosts[0].domain}:8124/admin/"' in school_page

    # Ninety days of history before today's snapshot, written once.
    today = timezone.localdate()
    region = ComplianceSnapshot.objects.filter(district="").order_by("date")
    assert region.count() == HISTORY_DAYS + 1
    assert region.first().date == today - datetime.timedelta(days=HISTORY_DAYS) and region.last().date == today
    trends = office.get("/trends/").content.decode()
    lines = re.findall(r'<polyline points="([^"]+)"', trends)
    assert len(lines) >= 2  # the average score and the share of complete schools, the region's first
    assert len(lines[0].split()) == HISTORY_DAYS + 1  # a line of 91 days, not a dot
