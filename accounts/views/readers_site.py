"""On a school's public site (clause 5.2): readers sign in, sign out and ask for an account.

Not the editor's sign-in (/admin/login/): readers have no editor. The same throttled backend and form
(``accounts.sign_in``) guard it. Wagtail sends a visitor who may not open a restricted page or document
here (``_util/login/`` is Wagtail's front-end sign-in address, taken over in ``urls_tenants``).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from django.views.generic.edit import FormView

from accounts.reader_selectors import account_opens_the_editor
from accounts.readers import NOTE_MAX_LENGTH, reader_registration_request
from accounts.sign_in import ThrottledAuthenticationForm, client_address
from regulation.roles import ReaderGroup

# Where Wagtail sends those a restriction stops (WAGTAIL_FRONTEND_LOGIN_URL, once the setting names it).
READER_SIGN_IN_PATH = "/account/sign-in/"
EDITOR_SIGN_IN_PATH = "/admin/login/"


class ReaderSignInForm(ThrottledAuthenticationForm):
    """The editors' throttled form, in the words of the public site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "inputmode": "email"})
        self.error_messages["invalid_login"] = _(
            "This e-mail address and password do not match an account of this school. Accounts of another "
            "school do not open this one."
        )

    def confirm_login_allowed(self, user):
        """An editor's account is refused here: the second factor guards it only at the editor's sign-in."""
        super().confirm_login_allowed(user)
        if account_opens_the_editor(user):
            raise ValidationError(
                _("This account works in the school's editor: sign in at %(address)s, with your second factor."),
                code="editor_account",
                params={"address": EDITOR_SIGN_IN_PATH},
            )


class ReaderSignInView(auth_views.LoginView):
    """Sign in on the school's host; a signed-in visitor sent here by a restriction is told it is not theirs."""

    form_class = ReaderSignInForm
    template_name = "accounts/reader_sign_in.html"
    next_page = "/"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Wagtail sends a reader of another group here too: say so, with 403, instead of a form.
            return TemplateResponse(
                request, "accounts/reader_not_for_you.html", {"next": self.get_redirect_url()}, status=403
            )
        return super().get(request, *args, **kwargs)


reader_sign_in_view = ReaderSignInView.as_view()
reader_sign_out_view = never_cache(require_http_methods(["POST"])(auth_views.LogoutView.as_view(next_page="/")))


class ReaderRegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    # "I am a parent", one person: not the groups' plural names (ReaderGroup.label).
    group = forms.ChoiceField(
        label=_("I am"),
        choices=[
            (ReaderGroup.STAFF.value, _("a member of the teaching staff")),
            (ReaderGroup.PARENTS.value, _("a parent")),
            (ReaderGroup.PUPILS.value, _("a pupil")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Who you are, for the school to recognise you"),
        help_text=_("For example: the mother of Aliya Serikova, class 5 B; or: teacher of mathematics."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@method_decorator([never_cache, csrf_protect], name="dispatch")
class ReaderRegistrationView(FormView):
    """Ask the school for a reader's account; nothing is granted until the administrator approves."""

    form_class = ReaderRegistrationForm
    template_name = "accounts/reader_register.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            reader_registration_request(
                email=data["email"],
                full_name=data["full_name"],
                group=data["group"],
                note=data["note"],
                client=client_address(self.request),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        return TemplateResponse(self.request, "accounts/reader_register.html", {"sent": True})


reader_registration_view = ReaderRegistrationView.as_view()
