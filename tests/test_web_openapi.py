"""``/api/openapi.json`` says what the server does: schemathesis calls every operation with
generated input and checks status codes, content types and response bodies against it."""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from test_web_sample import build_sample

from reslib.search import MAX_DEPTH
from reslib.web import create_app


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return create_app(build_sample(tmp_path_factory.mktemp("library")), {"TESTING": True})


@pytest.fixture(scope="module")
def api_schema(api_app: Flask):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)


@pytest.mark.parametrize(
    "path", ["/api/search", "/api/items/{id}", "/api/items/{id}/similar", "/api/i18n/{lang}"]
)
def test_api_matches_its_openapi_description(api_schema, path: str) -> None:  # type: ignore[no-untyped-def]
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def call(case) -> None:  # type: ignore[no-untyped-def]
        # Paging deeper than page x limit = MAX_DEPTH is refused with a polite 400: a limit
        # on two parameters together, which OpenAPI cannot state, so that check is left out.
        deep = case.query and int(case.query.get("page", 1)) * int(case.query.get("limit", 10))
        excluded = [positive_data_acceptance] if deep and deep > MAX_DEPTH else []
        case.call_and_validate(excluded_checks=excluded)

    call()


def test_openapi_names_every_api_route(api_app: Flask) -> None:
    described = set(api_app.test_client().get("/api/openapi.json").get_json()["paths"])
    routes = {
        rule.rule.replace("<item_id>", "{id}").replace("<lang>", "{lang}")
        for rule in api_app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json"
    }
    assert routes == described
