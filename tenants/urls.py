"""The regional console's URLs (public schema, PLATFORM_DOMAIN)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tenants.views import console

app_name = "console"
urlpatterns = [
    path("", console.school_list_view, name="school_list"),
    path("schools/new/", console.school_create_view, name="school_create"),
    path("login/", console.ConsoleLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
