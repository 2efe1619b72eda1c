from django import forms

from forecasts.models import NotificationSettings

FIELDS = ("resolution_emails", "reminder_emails")


class NotificationSettingsForm(forms.Form):
    """The e-mail choices, labelled as the model labels them."""

    resolution_emails = forms.BooleanField(required=False)
    reminder_emails = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            label = NotificationSettings._meta.get_field(name).verbose_name
            self.fields[name].label = label
