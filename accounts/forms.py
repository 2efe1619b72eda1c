"""Sign-up form, and the password check before an account is deleted."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User
from accounts.validators import (
    validate_new_username,
    validate_username_characters,
)


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Used only to reset your password."
        username = self.fields["username"]
        username.help_text = "Letters A–Z, digits and _ . - only; 150 at most."
        # The model's validator takes any Unicode letter, @ and +: new names
        # take the narrower rule (existing accounts keep theirs).
        username.validators = [
            v for v in username.validators if v is not User.username_validator
        ] + [validate_username_characters]

    def clean_username(self):
        username = super().clean_username()
        if username:  # None when already refused as taken
            validate_new_username(username)
        return username


class DeleteAccountForm(forms.Form):
    """The account's password, to confirm its deletion."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Wrong password.", code="password_incorrect")
        return password
