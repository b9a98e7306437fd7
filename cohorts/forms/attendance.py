"""One tap of the roll call. The form checks only the shape; who may be marked and when is
``cohorts.services.attendance``'s to decide."""

from django import forms

from cohorts.models import Attendance, Enrollment

NOTE_MAX_LENGTH = Attendance._meta.get_field("note").max_length


class RollCallMarkForm(forms.Form):
    enrollment = forms.ModelChoiceField(
        queryset=Enrollment.objects.only("id", "cohort_id", "status")
    )
    status = forms.ChoiceField(choices=Attendance.Status.choices)
    note = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)
