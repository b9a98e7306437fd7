"""What the reach report holds: its filters and figures, as plain frozen dataclasses
(``cohorts.selectors.reach_report`` fills them)."""

import statistics
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cohorts.selectors.progression import ProgressionCounts
from members.models import Organization

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class ReachFilters:
    """Count cohorts that end within [ends_from, ends_until] (either end open) and members
    of ``organization``'s subtree (any member when None)."""

    ends_from: date | None = None
    ends_until: date | None = None
    organization: Organization | None = None


def _average(total: Decimal | None, count: int) -> Decimal | None:
    if total is None or not count:
        return None
    return (total / count).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _decimal(value: Decimal | float | int | None) -> Decimal | None:
    """SQLite sums decimal columns as floats; through text they come back exact enough."""
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class KnowledgeGain:
    """Pre-test, best post-test and gain (points) of the registrations that took both."""

    took_both: int
    average_pre: Decimal | None
    average_post: Decimal | None
    average_gain: Decimal | None

    @classmethod
    def of_totals(
        cls, took_both: int, pre_total: Decimal | float | None, post_total: Decimal | float | None
    ) -> "KnowledgeGain":
        pre, post = _decimal(pre_total), _decimal(post_total)
        gain = post - pre if pre is not None and post is not None else None
        return cls(
            took_both=took_both,
            average_pre=_average(pre, took_both),
            average_post=_average(post, took_both),
            average_gain=_average(gain, took_both),
        )


@dataclass(frozen=True)
class GenerationFigures:
    generation: int
    cohorts: int  # non-cancelled cohorts of this generation that end within the range
    members_reached: int
    knowledge: KnowledgeGain


@dataclass(frozen=True)
class PlaceCount:
    """A province or regency/city (``region_id`` None: not known) and members placed there;
    ``by_training``: how many of them by the region of their training (no own region)."""

    region_id: int | None
    name: str
    members: int
    by_training: int
    parts: list["PlaceCount"] = field(default_factory=list)


@dataclass(frozen=True)
class OrganizationCount:
    """A confederation or federation (``organization_id`` None: members outside one)."""

    organization_id: int | None
    short_name: str
    name: str
    members: int
    parts: list["OrganizationCount"] = field(default_factory=list)


@dataclass(frozen=True)
class DaysBucket:
    label: str | Promise
    graduates: int


# (label, lowest day, highest day) of the time to a first cascade; None is open-ended.
DAY_BUCKETS = [
    (_("30 days or less"), None, 30),
    (_("31–90 days"), 31, 90),
    (_("91–180 days"), 91, 180),
    (_("More than 180 days"), 181, None),
]


@dataclass(frozen=True)
class FirstCascades:
    """Days from the end of the TOT to the start of each graduate's first cascade."""

    days: list[int]

    @property
    def graduates(self) -> int:
        return len(self.days)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def average_days(self) -> Decimal | None:
        return _average(Decimal(sum(self.days)), len(self.days))

    @property
    def buckets(self) -> list[DaysBucket]:
        return [
            DaysBucket(
                label,
                sum(
                    1
                    for d in self.days
                    if (low is None or d >= low) and (high is None or d <= high)
                ),
            )
            for label, low, high in DAY_BUCKETS
        ]


@dataclass(frozen=True)
class ReachReport:
    root_count: int
    generations: list[GenerationFigures]
    provinces: list[PlaceCount]
    confederations: list[OrganizationCount]
    first_cascades: FirstCascades
    # Among the members reached: participants, co-facilitators and trainers.
    progression: ProgressionCounts

    @property
    def members_reached(self) -> int:
        return sum(g.members_reached for g in self.generations)

    @property
    def tot_graduates(self) -> int:
        return sum(g.members_reached for g in self.generations if g.generation == 0)

    @property
    def reached_by_cascades(self) -> int:
        return self.members_reached - self.tot_graduates

    @property
    def multiplier(self) -> float | None:
        if not self.tot_graduates:
            return None
        return self.reached_by_cascades / self.tot_graduates

    @property
    def graduates_who_cascaded(self) -> int:
        return self.first_cascades.graduates

    @property
    def share_who_cascaded(self) -> float | None:
        if not self.tot_graduates:
            return None
        return self.graduates_who_cascaded / self.tot_graduates

    @property
    def by_training_region(self) -> int:
        """Members placed by the region of their training, having none of their own."""
        return sum(province.by_training for province in self.provinces)

    @property
    def is_empty(self) -> bool:
        return not self.generations


EMPTY_REPORT = ReachReport(0, [], [], [], FirstCascades([]), ProgressionCounts(0, 0, 0, 0, 0, 0, 0))
