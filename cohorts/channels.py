"""The ways a message reaches a member: e-mail, WhatsApp, SMS, behind one small interface.

A channel sends one rendered message and returns the provider's message id, or raises
``TransientDeliveryError`` (try again later) or ``PermanentDeliveryError`` (trying again
cannot help: an invalid number, an unsubscribed recipient). Every call has a timeout.
Each message carries an idempotency key (the outbox row's dedupe key), so a provider that
honours it never delivers a retried message twice; for e-mail it becomes the Message-ID.
"""

import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

if TYPE_CHECKING:
    from members.models import Member


class TransientDeliveryError(Exception):
    """The provider could not take the message now; the outbox tries again later."""


class PermanentDeliveryError(Exception):
    """The provider refused the message for good; the outbox skips it with this reason."""


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str
    idempotency_key: str
    # WhatsApp Business only sends pre-approved templates outside a 24-hour window.
    whatsapp_template: str = ""
    whatsapp_parameters: list[str] = field(default_factory=list)
    language: str = "id"


class Channel(Protocol):
    name: str

    def can_reach(self, member: "Member") -> bool: ...

    def send(self, member: "Member", message: RenderedMessage) -> str: ...


def message_id_for(idempotency_key: str) -> str:
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    domain = settings.NOTIFICATION_MESSAGE_ID_DOMAIN
    return f"<{digest}@{domain}>"


class EmailChannel:
    name = "email"

    def can_reach(self, member: "Member") -> bool:
        return bool(member.email)

    def send(self, member: "Member", message: RenderedMessage) -> str:
        message_id = message_id_for(message.idempotency_key)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[member.email],
            headers={"Message-ID": message_id},
            connection=get_connection(timeout=settings.NOTIFICATION_PROVIDER_TIMEOUT),
        )
        try:
            email.send()
        except (OSError, TimeoutError) as error:  # smtplib errors are OSErrors
            if _is_permanent_smtp_error(error):
                raise PermanentDeliveryError(str(error)) from error
            raise TransientDeliveryError(str(error)) from error
        return message_id


def _is_permanent_smtp_error(error: Exception) -> bool:
    code = getattr(error, "smtp_code", None)
    if code is None:
        recipients = getattr(error, "recipients", None) or {}
        codes = [value[0] for value in recipients.values() if value]
        code = codes[0] if codes else None
    return code is not None and 500 <= int(code) < 600


def _post_json(url: str, payload: dict, *, token: str, idempotency_key: str) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the URL comes from settings
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": idempotency_key,
        },
    )
    timeout = settings.NOTIFICATION_PROVIDER_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")[:500]
        if 400 <= error.code < 500 and error.code not in (408, 429):
            raise PermanentDeliveryError(f"HTTP {error.code}: {detail}") from error
        raise TransientDeliveryError(f"HTTP {error.code}: {detail}") from error
    except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
        raise TransientDeliveryError(str(error)) from error
    except json.JSONDecodeError as error:
        raise TransientDeliveryError(f"unreadable provider answer: {error}") from error


class WhatsAppChannel:
    """WhatsApp Business Cloud API style: POST {url}/messages with an approved template."""

    name = "whatsapp"

    def can_reach(self, member: "Member") -> bool:
        return bool(member.phone) and bool(settings.WHATSAPP_API_URL)

    def send(self, member: "Member", message: RenderedMessage) -> str:
        payload = {
            "messaging_product": "whatsapp",
            "to": str(member.phone.as_e164).lstrip("+"),
            "type": "template",
            "template": {
                "name": message.whatsapp_template,
                "language": {"code": message.language},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": value} for value in message.whatsapp_parameters
                        ],
                    }
                ],
            },
        }
        answer = _post_json(
            f"{settings.WHATSAPP_API_URL.rstrip('/')}/messages",
            payload,
            token=settings.WHATSAPP_API_TOKEN,
            idempotency_key=message.idempotency_key,
        )
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as error:
            raise TransientDeliveryError(f"no message id in {answer!r}") from error


class SmsChannel:
    """A generic HTTP SMS gateway: POST {url} with the number, the text and a reference."""

    name = "sms"

    def can_reach(self, member: "Member") -> bool:
        return bool(member.phone) and bool(settings.SMS_API_URL)

    def send(self, member: "Member", message: RenderedMessage) -> str:
        payload = {
            "to": str(member.phone.as_e164),
            "text": message.body,
            "reference": message.idempotency_key,
        }
        answer = _post_json(
            settings.SMS_API_URL,
            payload,
            token=settings.SMS_API_TOKEN,
            idempotency_key=message.idempotency_key,
        )
        if not answer.get("id"):
            raise TransientDeliveryError(f"no message id in {answer!r}")
        return str(answer["id"])


CHANNELS: dict[str, Channel] = {
    channel.name: channel for channel in (EmailChannel(), WhatsAppChannel(), SmsChannel())
}


def channels_for(member: "Member") -> list[Channel]:
    """The member's preferred channel first, then the fallback order; only those that
    can reach the member (an address on record, a provider configured)."""
    preferred = member.preferred_channel
    fallback = [name for name in settings.NOTIFICATION_CHANNEL_FALLBACK if name != preferred]
    order = [preferred, *fallback]
    reachable = [CHANNELS[name] for name in order if name in CHANNELS]
    return [channel for channel in reachable if channel.can_reach(member)]
