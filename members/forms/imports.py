from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from members.models import MemberImport, Organization
from members.permissions import organizations_managed_by
from members.services.imports.files import check_upload
from members.services.imports.mapping import IMPORT_FIELDS, field_label


class MemberImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    default_organization = forms.ModelChoiceField(
        label=_("Organization for rows without one"),
        queryset=Organization.objects.none(),
        help_text=_("Rows whose organization column is empty join this organization."),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_organization"].queryset = organizations_managed_by(user).order_by(
            "name"
        )
        self.fields["file"].help_text = _(
            "CSV (UTF-8) or Excel (.xlsx), at most %(limit)s MB. The first row holds the "
            "column names."
        ) % {"limit": settings.MEMBER_IMPORT_MAX_UPLOAD_MB}

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_upload(file)
        return file


IGNORE = ""


class MemberImportMappingForm(forms.Form):
    """One select per column of the file: the member field it fills, or ignore it."""

    def __init__(self, *args, member_import: MemberImport, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, _("— ignore this column —"))] + [
            (name, field_label(name)) for name in IMPORT_FIELDS
        ]
        for index, header in enumerate(member_import.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("Column %(number)s") % {"number": index + 1},
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                initial=member_import.mapping.get(str(index), IGNORE),
            )

    def mapping(self) -> dict[str, str]:
        """{column index: field} from the cleaned form."""
        return {
            name.removeprefix("column_"): value
            for name, value in self.cleaned_data.items()
            if value != IGNORE
        }


class MemberImportDecisionForm(forms.Form):
    VALID_ROWS = "valid_rows"
    NOTHING = "nothing"

    decision = forms.ChoiceField(
        choices=[(VALID_ROWS, _("Import the valid rows")), (NOTHING, _("Import nothing"))]
    )

    @property
    def only_valid_rows(self) -> bool:
        return self.cleaned_data["decision"] == self.VALID_ROWS
