"""The secret address of a person's calendar feed."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cohorts.models import CalendarFeedToken, new_calendar_token


def calendar_token_for(*, user: AbstractBaseUser) -> CalendarFeedToken:
    """The person's feed token, made the first time they ask for their address."""
    feed_token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return feed_token


@transaction.atomic
def calendar_token_reset(*, user: AbstractBaseUser) -> CalendarFeedToken:
    """A new secret for the person's feed: every copy of the old address stops working."""
    feed_token, _created = CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token": new_calendar_token()}
    )
    return feed_token
