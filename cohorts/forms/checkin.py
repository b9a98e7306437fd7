"""The two typed fallbacks of check-in: a participant types the six digits on the
trainer's screen; a trainer types (or pastes) the code on a participant's e-ticket."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CheckinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code on the trainer's screen"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": r"[0-9 ]*",
                "placeholder": "123456",
                "class": "form-control form-control-lg text-center font-monospace",
            }
        ),
    )


class TicketCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=400,
        help_text=_("The code under the QR on the participant's e-ticket, e.g. 1234-K7QMX2."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "form-control font-monospace",
            }
        ),
    )
