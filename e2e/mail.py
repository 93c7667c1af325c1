"""The test mail outbox: pytest-django swaps in the locmem backend, and the live server's
thread shares this process, so the messages it sends are in `django.core.mail.outbox`."""

import re
from urllib.parse import urlsplit

from django.core import mail

URL = re.compile(r"https?://[^\s<>\"']+")


def messages_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def link_sent_to(address: str, *, path_containing: str) -> str:
    """The path of the first link whose path contains `path_containing`, in mail to `address`."""
    for message in messages_to(address):
        urls: list[str] = URL.findall(str(message.body))
        for url in urls:
            parts = urlsplit(url)
            if path_containing in parts.path:
                return parts.path + (f"?{parts.query}" if parts.query else "")
    sent = [(message.to, message.subject) for message in mail.outbox]
    raise AssertionError(f"no link to {path_containing!r} in mail to {address}; sent: {sent}")
