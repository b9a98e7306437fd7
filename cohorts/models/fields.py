from django.conf import settings
from django.db import models


def account_that_acted(verbose_name: str) -> models.ForeignKey:
    """Which account did something (recorded, changed, issued …); the record outlives
    the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
