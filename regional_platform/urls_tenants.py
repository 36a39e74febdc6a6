"""URLs of a school's host: its public site, its editor at /admin/, invitations."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents.views.serve import authenticate_with_password as document_password

from accounts.privacy import collection_privacy_view, page_privacy_view
from accounts.views.invitations import InvitationAcceptView
from accounts.views.readers_site import reader_registration_view, reader_sign_in_view, reader_sign_out_view
from accounts.views.sign_out import editor_sign_out_view
from school_sections.feeds import NewsAtomFeed, NewsRssFeed, events_ical
from school_sections.views.media import document_serve, school_media
from school_sections.views.site import low_vision_toggle, robots_txt, search_view
from workflows.views.reports import safe_report_urlpatterns

urlpatterns = [
    path("admin/logout/", editor_sign_out_view),  # before Wagtail's: POST only (accounts.views.sign_out)
    # Before Wagtail's admin: its reports at the same paths, with exports safe from formula injection.
    path("admin/reports/", include(safe_report_urlpatterns())),
    # Before Wagtail's admin: its privacy dialogs offer the school's reader groups, not the editor's roles.
    path("admin/pages/<int:page_id>/privacy/", require_admin_access(page_privacy_view)),
    path("admin/collections/<int:collection_id>/privacy/", require_admin_access(collection_privacy_view)),
    path("admin/", include(wagtailadmin_urls)),
    # Not "documents/": that is the slug of the documents section (clause 3.1.3).
    # Wagtail's document URLs (wagtail.documents.urls) under the same names, serving through our wrapper.
    re_path(r"^files/(\d+)/(.*)$", document_serve, name="wagtaildocs_serve"),
    path(
        "files/authenticate_with_password/<int:restriction_id>/",
        document_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("invite/<uidb64>/<token>/", InvitationAcceptView.as_view(), name="invitation_accept"),
    # Readers (clause 5.2). Wagtail sends whoever a restriction stops to "_util/login/" (its own, untranslated
    # form) unless WAGTAIL_FRONTEND_LOGIN_URL says otherwise: ours answers there too, ahead of Wagtail's.
    path("account/sign-in/", reader_sign_in_view, name="reader_sign_in"),
    path("_util/login/", reader_sign_in_view),
    path("account/sign-out/", reader_sign_out_view, name="reader_sign_out"),
    path("account/register/", reader_registration_view, name="reader_register"),
    path("i18n/low-vision/", low_vision_toggle, name="low_vision_toggle"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("search/", search_view, name="site_search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feeds/news.rss", NewsRssFeed(), name="news_rss"),
    path("feeds/news.atom", NewsAtomFeed(), name="news_atom"),
    path("feeds/events.ics", events_ical, name="events_ical"),
    re_path(r"^media/(?P<path>.+)$", school_media, name="school_media"),
    path("", include(wagtail_urls)),
]
