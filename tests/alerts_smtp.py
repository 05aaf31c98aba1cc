"""A real SMTP server for the alert tests (aiosmtpd in a thread), and servers that fail.

``Inbox`` keeps every mail the server took as an ``EmailMessage``; setting ``refuse`` to an
SMTP answer (``"550 …"``) makes it refuse the next mails with it. ``silent_port`` accepts
connections and never answers (a server that times out); ``closed_port`` refuses them.
"""

from __future__ import annotations

import contextlib
import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse: str | None = None
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextlib.contextmanager
def silent_port() -> Iterator[int]:
    """A port that takes connections into its backlog and never says a word."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield int(s.getsockname()[1])


def closed_port() -> int:
    return free_port()


def use_server(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("RESLIB_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RESLIB_SMTP_PORT", str(port))
    monkeypatch.setenv("RESLIB_SMTP_FROM", "alerts@reslib.example")


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def link(msg: EmailMessage, kind: str) -> str:
    """The path of the mail's ``kind`` link (confirm, unsubscribe, manage)."""
    found = re.search(rf"https?://[^/\s]+(/alerts/{kind}/[A-Za-z0-9_-]+)", text_of(msg))
    assert found, f"no {kind} link in: {text_of(msg)}"
    return found.group(1)
