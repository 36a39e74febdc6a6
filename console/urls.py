"""The regional console's URLs (public schema, PLATFORM_DOMAIN)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from console.views import (
    announcements,
    bulk_onboarding,
    console,
    office,
    opening,
    regional,
    school_page,
    second_factor,
    staff,
    trends,
)

app_name = "console"
urlpatterns = [
    path("", console.school_list_view, name="school_list"),
    path("schools/new/", opening.school_create_view, name="school_create"),
    path("schools/opening/<int:opening_id>/", opening.school_opening_view, name="school_opening"),
    path(
        "schools/opening/<int:opening_id>/progress/",
        opening.school_opening_progress_view,
        name="school_opening_progress",
    ),
    path(
        "schools/opening/<int:opening_id>/requeue/",
        opening.school_opening_requeue_view,
        name="school_opening_requeue",
    ),
    path("schools/import/", bulk_onboarding.school_import_upload_view, name="school_import_upload"),
    path("schools/import/<int:import_id>/", bulk_onboarding.school_import_view, name="school_import"),
    path(
        "schools/import/<int:import_id>/start/", bulk_onboarding.school_import_start_view, name="school_import_start"
    ),
    path(
        "schools/import/<int:import_id>/progress/",
        bulk_onboarding.school_import_progress_view,
        name="school_import_progress",
    ),
    path("schools/<int:school_id>/", school_page.school_page_view, name="school_page"),
    path("schools/<int:school_id>/remind/", school_page.school_remind_view, name="school_remind"),
    path(
        "schools/<int:school_id>/invitations/<int:step_id>/resend/",
        school_page.school_invitation_resend_view,
        name="school_invitation_resend",
    ),
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
    path(
        "schools/<int:school_id>/administrator/",
        regional.school_appointment_view,
        {"appointment": "administrator"},
        name="school_administrator",
    ),
    path(
        "schools/<int:school_id>/head/", regional.school_appointment_view, {"appointment": "head"}, name="school_head"
    ),
    path("schools/<int:school_id>/archive/", regional.school_archive_view, name="school_archive"),
    path("schools/<int:school_id>/audit.csv", regional.school_audit_csv_view, name="school_audit_csv"),
    path("announcements/", announcements.announcements_view, name="announcements"),
    path("announcements/<int:announcement_id>/end/", announcements.announcement_end_view, name="announcement_end"),
    path("screening-rules/", regional.screening_rules_view, name="screening_rules"),
    path("screening-rules/<int:rule_id>/toggle/", regional.screening_rule_toggle_view, name="screening_rule_toggle"),
    path("update-periods/", office.update_periods_view, name="update_periods"),
    path("update-periods/<str:section_code>/", office.update_period_set_view, name="update_period_set"),
    path("audit/", office.audit_view, name="audit"),
    path("trends/", trends.trends_view, name="trends"),
    path("report/", trends.report_view, name="report"),
    path("staff/", staff.staff_list_view, name="staff"),
    path("staff/<int:user_id>/<str:change>/", staff.staff_change_view, name="staff_change"),
    path("staff/welcome/<uidb64>/<token>/", staff.StaffWelcomeView.as_view(), name="staff_welcome"),
    path("second-factor/", second_factor.console_second_factor_view, name="second_factor"),
    path("login/", console.ConsoleLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
