import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberFormat, format_number, parse

from members.models import Member, Organization, Region
from members.permissions import organizations_visible_to
from members.selectors import organization_subtree_ids


def _phone_digits(text: str) -> str | None:
    """'0812-3456-7890' and '+62 812…' both search as +62812…; None if not a number."""
    try:
        return format_number(parse(text, "ID"), PhoneNumberFormat.E164)
    except NumberParseException:
        return None


class MemberFilter(django_filters.FilterSet):
    """Search and filters of the member list; the export uses the same ones."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Name, phone or member number")
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization (with its sub-organizations)"),
        queryset=Organization.objects.none(),
        method="within_organization",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Province or regency/city"),
        queryset=Region.objects.select_related("parent"),
        method="within_region",
    )
    position = django_filters.ChoiceFilter(
        label=_("Union position"), choices=Member.Position.choices
    )

    class Meta:
        model = Member
        fields = ["q", "organization", "region", "position"]

    def __init__(
        self, data=None, queryset: QuerySet[Member] | None = None, *, request: HttpRequest
    ) -> None:
        super().__init__(data, queryset=queryset, request=request)
        self.filters["organization"].queryset = organizations_visible_to(request.user)

    def search(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        value = value.strip()
        if not value:
            return queryset
        matches = Q(full_name__icontains=value) | Q(member_number__iexact=value)
        phone = _phone_digits(value)
        if phone:
            matches |= Q(phone=phone)
        return queryset.filter(matches)

    def within_organization(
        self, queryset: QuerySet[Member], name: str, value: Organization | None
    ) -> QuerySet[Member]:
        if not value:
            return queryset
        return queryset.filter(organization_id__in=organization_subtree_ids(root=value))

    def within_region(
        self, queryset: QuerySet[Member], name: str, value: Region | None
    ) -> QuerySet[Member]:
        if not value:
            return queryset
        return queryset.filter(Q(region=value) | Q(region__parent=value))
