"""The regional console's URLs (public schema, PLATFORM_DOMAIN)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tenants.views import announcements, console, regional, school_page

app_name = "console"
urlpatterns = [
    path("", console.school_list_view, name="school_list"),
    path("schools/new/", console.school_create_view, name="school_create"),
    path("schools/<int:school_id>/", school_page.school_page_view, name="school_page"),
    path("schools/<int:school_id>/remind/", school_page.school_remind_view, name="school_remind"),
    path(
        "schools/<int:school_id>/suspend/",
        school_page.school_status_view,
        {"action": "suspend"},
        name="school_suspend",
    ),
    path(
        "schools/<int:school_id>/restore/",
        school_page.school_status_view,
        {"action": "restore"},
        name="school_restore",
    ),
    path("schools/<int:school_id>/administrator/", regional.school_administrator_view, name="school_administrator"),
    path("schools/<int:school_id>/archive/", regional.school_archive_view, name="school_archive"),
    path("schools/<int:school_id>/audit.csv", regional.school_audit_csv_view, name="school_audit_csv"),
    path("announcements/", announcements.announcements_view, name="announcements"),
    path("announcements/<int:announcement_id>/end/", announcements.announcement_end_view, name="announcement_end"),
    path("screening-rules/", regional.screening_rules_view, name="screening_rules"),
    path("screening-rules/<int:rule_id>/toggle/", regional.screening_rule_toggle_view, name="screening_rule_toggle"),
    path("login/", console.ConsoleLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
