import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Enrollment
from cohorts.selectors.registrations_manage import member_matches
from members.models import Organization, Region
from members.permissions import organizations_managed_by

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class CohortFilter(django_filters.FilterSet):
    """The organizer's cohort list: status, organization, region, kind and dates."""

    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Cohort.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Cohort.Kind.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("Organized by"), queryset=Organization.objects.none(), method="organized_by"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Province or regency/city"),
        queryset=Region.objects.all(),
        method="within_region",
    )
    runs_from = django_filters.DateFilter(
        label=_("Running on or after"), field_name="ends_on", lookup_expr="gte", widget=DATE_INPUT
    )
    runs_until = django_filters.DateFilter(
        label=_("Running on or before"),
        field_name="starts_on",
        lookup_expr="lte",
        widget=DATE_INPUT,
    )

    class Meta:
        model = Cohort
        fields = ["q", "status", "kind", "organization", "region", "runs_from", "runs_until"]

    def __init__(
        self, data=None, queryset: QuerySet[Cohort] | None = None, *, request: HttpRequest
    ) -> None:
        super().__init__(data, queryset=queryset, request=request)
        self.filters["organization"].queryset = organizations_managed_by(request.user)

    def organized_by(
        self, queryset: QuerySet[Cohort], name: str, value: Organization | None
    ) -> QuerySet[Cohort]:
        if not value:
            return queryset
        return queryset.filter(pk__in=Cohort.objects.filter(organizers=value).values("pk"))

    def within_region(
        self, queryset: QuerySet[Cohort], name: str, value: Region | None
    ) -> QuerySet[Cohort]:
        if not value:
            return queryset
        return queryset.filter(Q(region=value) | Q(region__parent=value))


class EnrollmentFilter(django_filters.FilterSet):
    """The organizer's registration list and its export: by status (all active ones unless
    chosen) and a search by name, phone or member number."""

    ALL = "all"

    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name, phone or member number")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*Enrollment.Status.choices, (ALL, _("All, also cancelled and rejected"))],
        empty_label=_("All active"),
        method="with_status",
    )

    class Meta:
        model = Enrollment
        fields = ["q", "status"]

    def filter_queryset(self, queryset: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=Enrollment.ACTIVE_STATUSES)
        return super().filter_queryset(queryset)

    def with_status(
        self, queryset: QuerySet[Enrollment], name: str, value: str
    ) -> QuerySet[Enrollment]:
        if value == self.ALL:
            return queryset
        return queryset.filter(status=value)

    def search(self, queryset: QuerySet[Enrollment], name: str, value: str) -> QuerySet[Enrollment]:
        if not value.strip():
            return queryset
        return queryset.filter(member_matches(value, prefix="member__"))
