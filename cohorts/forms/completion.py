"""The organizer's completion decisions and the public verify form: shapes only; the
rules are ``cohorts.services.completion`` and ``cohorts.services.certificates``'s."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 1000
NOTE_REQUIRED = _("Write a note: why does this decision differ from the rule?")


class CompletionOverrideForm(forms.Form):
    COMPLETED, INCOMPLETE = "completed", "incomplete"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(COMPLETED, _("Completed")), (INCOMPLETE, _("Did not complete"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose completed or did not complete.")},
    )
    note = forms.CharField(
        label=_("Why (required)"),
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": NOTE_REQUIRED},
    )

    @property
    def completed(self) -> bool:
        return self.cleaned_data["decision"] == self.COMPLETED


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked? (required, not shown publicly)"),
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why the certificate is revoked.")},
    )


def normalize_code(text: str) -> str:
    """What a person typed or read out → the stored form: capitals, without spaces or
    dashes ("abcde-fghjk " → "ABCDEFGHJK")."""
    return re.sub(r"[\s\-‐-―]+", "", text).upper()


class CertificateVerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("Printed on the certificate, e.g. ABCDE-FGHJK."),
        error_messages={"required": _("Type the verification code printed on the certificate.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type the verification code printed on the certificate."))
        return code
