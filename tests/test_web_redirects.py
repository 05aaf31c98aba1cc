"""The language switch sends visitors back to this site only, whatever ``next`` holds."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from reslib.config import Home
from reslib.web import create_app
from reslib.web.redirects import local_target


@pytest.fixture
def client(tmp_path) -> FlaskClient:  # type: ignore[no-untyped-def]
    # The language switch needs no library: an empty root serves it.
    return create_app(Home(tmp_path), {"TESTING": True}).test_client()


HOSTILE = [
    "//evil.example/phish",
    "/%09/evil.example/phish",
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/\\evil.example",
    "/%5cevil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "/%2f/evil.example",
    "/%2F%2Fevil.example",
    " //evil.example",
    "/\u202e/evil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_a_target_that_could_leave_the_site_becomes_the_home_page(raw: str) -> None:
    assert local_target(raw) == "/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/", "/"),
        ("/?q=Karen&type=report", "/?q=Karen&type=report"),
        ("/items/2023-09-15-open-letter", "/items/2023-09-15-open-letter"),
        ("/?q=%E1%80%80%E1%80%9B%E1%80%84%E1%80%BA", "/?q=%E1%80%80%E1%80%9B%E1%80%84%E1%80%BA"),
        ("/?q=ကရင်", "/?q=%E1%80%80%E1%80%9B%E1%80%84%E1%80%BA"),
        ('/?q="a b"', "/?q=%22a%20b%22"),
    ],
)
def test_a_path_on_this_site_is_kept_as_a_safe_header(raw: str, expected: str) -> None:
    assert local_target(raw) == expected


@pytest.mark.parametrize(
    "query",
    ["next=/%09/evil.example/phish", "next=/%0a/evil.example", "next=/%0d/x", "next=%2F%2Fe.x"],
)
def test_the_language_switch_never_redirects_to_another_host(
    client: FlaskClient, query: str
) -> None:
    response = client.get(f"/lang/my?{query}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_the_language_switch_returns_to_the_page_it_came_from(client: FlaskClient) -> None:
    response = client.get("/lang/my?next=/%3Fq%3DKaren")
    assert response.status_code == 303
    assert response.headers["Location"] == "/?q=Karen"
    assert response.headers["Set-Cookie"].startswith("reslib_ui=my;")
