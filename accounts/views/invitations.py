"""On a school's host: accept an invitation by setting a first password."""

from django.contrib.auth import views as auth_views


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Django's password-reset confirmation: the token works once, then the user is signed in."""

    template_name = "accounts/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "accounts.sign_in.ThrottledModelBackend"
    success_url = "/admin/"
