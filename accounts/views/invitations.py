"""On a school's host: accept an invitation by setting a first password."""

from django.contrib.auth import views as auth_views

from accounts.enrolment import enrolment_allow


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Django's password-reset confirmation: the token works once, then the user is signed in."""

    template_name = "accounts/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "accounts.sign_in.ThrottledModelBackend"
    success_url = "/admin/"

    def get_success_url(self):
        # Readers (clause 5.2) have no editor: they go to the school's site, signed in.
        if not self.user.has_perm("wagtailadmin.access_admin"):
            return "/"
        return super().get_success_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link reached its owner: this session may enrol a first authenticator app (accounts.enrolment).
        enrolment_allow(self.request, form.user)
        return response
