from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=120,
        help_text="What uses it, e.g. “Nightly warehouse sync”.",
    )
