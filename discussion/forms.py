from django import forms

from discussion.models import MAX_BODY


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown; at most 10,000 characters. Anyone who can see the "
        "question sees your name with it.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError next to the field it names."""
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
