import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Far beyond any training; also keeps date arithmetic (a day later, a week later) from
# overflowing at the calendar's end.
EARLIEST_DATE, LATEST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def check_plausible_date(day: dt.date, *, field: str) -> None:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            {
                field: _("Choose a date between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year}
            }
        )
