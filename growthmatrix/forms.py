"""The login and password-reset forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.validators import MaxLengthValidator
from django.db.models import Q

from signin.access import password_login_allowed

PASSWORDS_OFF = (
    "Your organization signs in with its Google or Microsoft account, not a password: use "
    "“Sign in with your organization's account” below."
)


class LoginForm(AuthenticationForm):
    """Django's login form, with the length of the email checked before authenticating
    (Django only sets it as an HTML attribute): an address longer than any account's is a
    form error, never a failed write of the login-attempt record that django-axes keeps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not password_login_allowed(user):
            raise forms.ValidationError(PASSWORDS_OFF, code="passwords_off")


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form; no email goes to a person whose organization has turned password
    reset off (the page answers alike, so it says nothing about who exists)."""

    def get_users(self, email):
        for user in super().get_users(email):
            if user.is_superuser or user.organization_id is None:
                yield user
            elif (
                not type(user)
                .objects.filter(
                    Q(organization__sign_in_policy__password_reset_allowed=False), pk=user.pk
                )
                .exists()
            ):
                yield user
