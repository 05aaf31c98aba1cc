"""Search alerts against bad input: addresses, empty searches, the abuse limits, and forged,
altered or expired links."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alerts_smtp import Inbox, link, smtp_server, use_server
from flask.testing import FlaskClient
from test_web_sample import build_sample

from reslib.alerts import AlertStore, check_address, tokens
from reslib.config import Home
from reslib.errors import InvalidInput, NotFound
from reslib.web import create_app

ADDRESS = "reader@example.org"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    with smtp_server() as server:
        use_server(monkeypatch, server.port)
        yield server


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample")).root


@pytest.fixture
def home(sample: Path, tmp_path: Path) -> Home:
    """A fresh copy of the sample library per test (building it takes seconds)."""
    import shutil

    shutil.copytree(sample, tmp_path / "site")
    return Home(tmp_path / "site")


@pytest.fixture
def client(home: Home) -> FlaskClient:
    return create_app(home, {"TESTING": True}).test_client()


@pytest.mark.parametrize(
    "address",
    [
        "reader@example.org",
        "first.last+alerts@mail.example.co.uk",
        "  reader@example.org  ",
        "reader@exämple.org",
    ],
)
def test_an_ordinary_address_is_taken(address: str) -> None:
    assert check_address(address) == address.strip()


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("", "please give an email address"),
        ("reader@example.org\nBcc: victim@example.org", "spaces or line breaks"),
        ("reader@example.org\r\n", "spaces or line breaks"),
        ("reader@example.org\n", "spaces or line breaks"),
        ("reader@example.org\u2028", "spaces or line breaks"),
        ("reader\t@example.org", "spaces or line breaks"),
        ("reader\n@example.org", "spaces or line breaks"),
        ("reader@exa mple.org", "spaces or line breaks"),
        ("a" * 10_000 + "@example.org", "too long (10012 characters)"),
        ("reader", "needs a name, @ and a domain"),
        ("@example.org", "needs a name, @ and a domain"),
        ("reader@", "needs a name, @ and a domain"),
        ("reader@localhost", "is not a domain"),
        ("reader@-example.org", "is not a domain"),
        ("re<ader>@example.org", "characters an address cannot have"),
        (".reader@example.org", "cannot begin or end with a dot"),
        ("a" * 65 + "@example.org", "more than 64"),
    ],
)
def test_a_bad_address_is_refused_without_repeating_it(address: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_address(address)
    assert says in caught.value.message
    assert "reader" not in caught.value.message and "victim" not in caught.value.message


@pytest.mark.parametrize(
    "email",
    ["reader@example.org\nBcc: victim@example.org", "a" * 10_000 + "@example.org"],
    ids=["newline", "10000-characters"],
)
def test_the_site_refuses_a_bad_address_with_its_message(
    client: FlaskClient, home: Home, inbox: Inbox, email: str
) -> None:
    api = client.post("/api/alerts", json={"email": email, "q": "Sagaing"})
    assert api.status_code == 400
    body = api.get_json()
    assert body["ok"] is False and body["status"] == 400 and body["error"] == "Bad Request"
    assert "victim" not in body["message"] and "aaaa" not in body["message"]
    page = client.post("/alerts", data={"email": email, "q": "Sagaing"})
    assert page.status_code == 400
    assert "text/html" in page.content_type and body["message"] in page.get_data(as_text=True)
    assert inbox.messages == [] and AlertStore(home).load() == []


@pytest.mark.parametrize("q", ["", "   ", "!!!", "-ASEAN"])
def test_an_alert_for_an_empty_search_is_refused(
    client: FlaskClient, home: Home, inbox: Inbox, q: str
) -> None:
    response = client.post("/api/alerts", json={"email": ADDRESS, "q": q})
    assert response.status_code == 400
    assert "an empty search would mail every new record" in response.get_json()["message"]
    assert inbox.messages == [] and AlertStore(home).load() == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"email": ADDRESS, "q": "x" * 600}, "too long"),
        ({"email": ADDRESS, "q": "Sagaing", "type": "poem"}, "unknown type"),
        ({"email": ADDRESS, "q": "Sagaing", "date": "2023-13"}, "month 13"),
        ({"email": ADDRESS, "q": {"nested": 1}}, "must be text"),
        ({"q": "Sagaing"}, "please give an email address"),
    ],
)
def test_bad_search_parameters_are_refused_as_the_search_refuses_them(
    client: FlaskClient, inbox: Inbox, body: dict[str, object], says: str
) -> None:
    response = client.post("/api/alerts", json=body)
    assert response.status_code == 400
    assert says in response.get_json()["message"]


def test_a_body_that_is_not_an_object_is_refused(client: FlaskClient, inbox: Inbox) -> None:
    response = client.post("/api/alerts", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["message"]


def test_unconfirmed_alerts_per_address_are_capped(
    client: FlaskClient, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESLIB_ALERTS_UNCONFIRMED_PER_ADDRESS", "2")
    for q in ("Sagaing", "Magway"):
        assert client.post("/api/alerts", json={"email": ADDRESS, "q": q}).status_code == 202
    refused = client.post("/api/alerts", json={"email": ADDRESS.upper(), "q": "Karenni"})
    assert refused.status_code == 429
    assert "waiting for confirmation" in refused.get_json()["message"]
    assert len(inbox.messages) == 2
    # Confirming one makes room for another.
    client.post(link(inbox.messages[0], "confirm"))
    assert client.post("/api/alerts", json={"email": ADDRESS, "q": "Karenni"}).status_code == 202


def test_unconfirmed_alerts_per_client_are_capped(
    client: FlaskClient, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESLIB_ALERTS_UNCONFIRMED_PER_CLIENT", "3")
    for n in range(3):
        response = client.post("/api/alerts", json={"email": f"r{n}@example.org", "q": "Sagaing"})
        assert response.status_code == 202
    refused = client.post("/api/alerts", json={"email": "r9@example.org", "q": "Sagaing"})
    assert refused.status_code == 429
    # Another client is not held back by this one.
    other = client.post(
        "/api/alerts",
        json={"email": "r9@example.org", "q": "Sagaing"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other.status_code == 202
    assert len(inbox.messages) == 4


def test_alerts_are_off_without_an_smtp_server(
    client: FlaskClient, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESLIB_SMTP_HOST", raising=False)
    response = client.post("/api/alerts", json={"email": ADDRESS, "q": "Sagaing"})
    assert response.status_code == 503
    assert AlertStore(home).load() == []


def test_a_confirmation_that_cannot_be_mailed_leaves_no_alert(
    client: FlaskClient, home: Home, inbox: Inbox
) -> None:
    inbox.refuse = "451 try again later"
    response = client.post("/api/alerts", json={"email": ADDRESS, "q": "Sagaing"})
    assert response.status_code == 503
    assert "could not be sent" in response.get_json()["message"]
    assert AlertStore(home).load() == []
    inbox.refuse = None
    assert client.post("/api/alerts", json={"email": ADDRESS, "q": "Sagaing"}).status_code == 202


def _subscribed(client: FlaskClient, inbox: Inbox) -> str:
    assert client.post("/api/alerts", json={"email": ADDRESS, "q": "Sagaing"}).status_code == 202
    return link(inbox.messages[-1], "confirm")


def _altered(token: str) -> str:
    middle = len(token) // 2
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe", "manage"])
def test_forged_and_altered_links_are_refused(
    client: FlaskClient, home: Home, inbox: Inbox, kind: str
) -> None:
    _subscribed(client, inbox)
    genuine = link(inbox.messages[-1], kind)
    token = genuine.rsplit("/", 1)[1]
    other_secret = tokens.make(b"x" * 32, kind, bytes(16))
    wrong_purpose = {"confirm": "unsubscribe", "unsubscribe": "manage", "manage": "confirm"}[kind]
    cross = link(inbox.messages[-1], wrong_purpose).rsplit("/", 1)[1]
    for forged in (
        _altered(token),
        token[:-4],
        token + "AAAA",
        "A" * len(token),
        other_secret,
        cross,
        "ü" * len(token),
    ):
        for method in ("get", "post") if kind != "manage" else ("get",):
            response = getattr(client, method)(f"/alerts/{kind}/{forged}.json")
            assert response.status_code == 404, (forged, method)
            assert response.get_json()["message"].startswith("this link is not valid")
    assert AlertStore(home).load()[0].is_confirmed is False


def test_an_expired_confirmation_link_is_refused_with_410(
    client: FlaskClient, home: Home, inbox: Inbox
) -> None:
    _subscribed(client, inbox)
    alert = AlertStore(home).load()[0]
    key = tokens.secret(home)
    expired = tokens.make(key, "confirm", bytes.fromhex(alert.id), time.time() - 1)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/alerts/confirm/{expired}")
        assert response.status_code == 410
        assert "expired" in response.get_data(as_text=True)
    assert not AlertStore(home).load()[0].is_confirmed
    fresh = tokens.make(key, "confirm", bytes.fromhex(alert.id), time.time() + 60)
    assert client.post(f"/alerts/confirm/{fresh}").status_code == 200


def test_a_token_reads_back_only_for_its_purpose_and_secret() -> None:
    key, subject = b"k" * 32, bytes(range(16))
    token = tokens.make(key, "unsubscribe", subject)
    assert len(token) == tokens.TOKEN_LENGTH and "." not in token
    assert tokens.read(key, token, "unsubscribe") == subject
    with pytest.raises(NotFound):
        tokens.read(key, token, "confirm")
    with pytest.raises(NotFound):
        tokens.read(b"j" * 32, token, "unsubscribe")
    timed = tokens.make(key, "confirm", subject, expires=1000)
    assert tokens.read(key, timed, "confirm", now=999) == subject
    with pytest.raises(tokens.LinkExpired):
        tokens.read(key, timed, "confirm", now=1001)


def test_the_secret_and_alerts_file_are_kept_from_other_users(
    client: FlaskClient, home: Home, inbox: Inbox
) -> None:
    import os

    old = os.umask(0o022)
    try:
        _subscribed(client, inbox)
    finally:
        os.umask(old)
    for name in ("alerts.json", tokens.SECRET_FILE):
        mode = (home.library / name).stat().st_mode & 0o777
        assert mode == 0o640, (name, oct(mode))


def test_a_damaged_secret_is_reported_not_replaced(home: Home) -> None:
    (home.library / tokens.SECRET_FILE).write_text("not hex\n")
    with pytest.raises(Exception, match="is damaged"):
        tokens.secret(home)
    assert (home.library / tokens.SECRET_FILE).read_text() == "not hex\n"


def test_control_characters_in_a_filter_stay_out_of_the_subject(
    client: FlaskClient, inbox: Inbox
) -> None:
    body = {"email": ADDRESS, "q": "id", "place": ["Sag\x12ai\x0bng\nBcc: x@example.org", ""]}
    response = client.post("/api/alerts", json=body)
    assert response.status_code == 202, response.get_json()
    subject = inbox.messages[0]["Subject"]
    assert subject == "Confirm your alert: “id” · Place: Sagai ng Bcc: x@example.org"
    assert inbox.recipients == [[ADDRESS]]
