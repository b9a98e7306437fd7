"""Indonesia's three time zones and which provinces keep which."""

import datetime as dt
from zoneinfo import ZoneInfo

from cohorts.models import Cohort
from members.models import Region

# Kemendagri province codes; every province not listed keeps WIB.
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def time_zone_for_region(region: Region) -> str:
    province_code = region.code.split(".", 1)[0]
    if province_code in _WITA_PROVINCES:
        return Cohort.TimeZone.WITA
    if province_code in _WIT_PROVINCES:
        return Cohort.TimeZone.WIT
    return Cohort.TimeZone.WIB


def zone_of(cohort: Cohort) -> ZoneInfo:
    return ZoneInfo(cohort.time_zone)


def abbreviation_of(cohort: Cohort) -> str:
    return cohort.zone_abbreviation


def local(moment: dt.datetime, cohort: Cohort) -> dt.datetime:
    return moment.astimezone(zone_of(cohort))


def aware(day: dt.date, time: dt.time, cohort: Cohort) -> dt.datetime:
    """A wall-clock time on a day in the cohort's zone (Indonesia keeps no daylight saving)."""
    return dt.datetime.combine(day, time, tzinfo=zone_of(cohort))
