"""The login form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, with the length of the email checked before authenticating
    (Django only sets it as an HTML attribute): an address longer than any account's is a
    form error, never a failed write of the login-attempt record that django-axes keeps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
