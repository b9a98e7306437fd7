"""The link at the foot of every message that lets a member change how they are reached,
or stop reminders, without logging in (many read their messages on WhatsApp only).

The token is signed, so it cannot be guessed or altered; it never expires, because a
message read weeks later must still work. It only opens that member's message settings."""

from django.core import signing

from members.models import Member

SALT = "members.message-preferences"


def preferences_token(member: Member) -> str:
    return signing.dumps(member.pk, salt=SALT, compress=True)


def member_from_preferences_token(token: str) -> Member | None:
    try:
        member_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Member.objects.filter(pk=member_id).first()
