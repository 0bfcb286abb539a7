"""The net under every route: malformed ids, NUL bytes, huge numbers and 1 MB strings, in the path, the query
string and the form, signed in as an officer and as a visitor, never give a 500 (on SQLite and PostgreSQL).

The routes come from the URL resolver (tests/routes.py), so a new route is in the net from its first day. Each
route is swept once with the worst values (every route, every time), then hypothesis draws mixes of them for a
bounded number of examples."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.routes import Route, all_routes

NUL = "a\x00b"
MEGABYTE = "x" * 1_000_000
LONG = "x" * 10_001  # past most fields' limits; every field at once stays under the request's size limit
HUGE = "9" * 25
BAD_PATH_VALUES = [HUGE, str(2**63), "0", "1", "99999"]
BAD_TEXT_VALUES = [NUL, "\x00", "PA-\x00X", "a" * 5000, "đ\u0301", "../../etc", "%", "'\"<>;"]
BAD_FORM_VALUES = [NUL, MEGABYTE, HUGE, "-1", str(2**63), "1e400", "NaN", "", "on", "01/01/10000", "32/13/2026"]

# Names read by views by hand (not through a form class), and the common query parameters.
RAW_NAMES = [
    "q",
    "page",
    "field",
    "org",
    "status",
    "code",
    "kind",
    "year",
    "version",
    "action",
    "text",
    "section",
    "person",
    "choice",
    "candidate",
    "level-5",
    "level-1-high",
    "votes-1",
    "section-1",
    "key",
    "heading",
    "based_on",
    "target",
    "organization",
    "deadline",
    "unit",
    "held_on",
    "attendees",
    "next",
    "note",
    "tellers",
    "seats",
    "agree",
    "issued",
    "received",
    "invalid",
]


def _form_field_names() -> list[str]:
    """Every field name of every form class of the product, and the names views read by hand."""
    import importlib
    import pkgutil

    import dongthuan

    for module in pkgutil.walk_packages(dongthuan.__path__, "dongthuan."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "views"):
            importlib.import_module(module.name)
    names = set(RAW_NAMES)
    pending: list[type] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("dongthuan."):
            names.update(getattr(cls, "base_fields", {}))
    return sorted(names)


ROUTES = all_routes()
FIELD_NAMES = _form_field_names()
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _url(route: Route, value_for: dict[str, str]) -> str:
    """The route's URL with each argument given by converter ("int", "str", "slug"...)."""

    def fill(match: re.Match[str]) -> str:
        converter = match.group("converter") or "str"
        return quote(value_for.get(converter, value_for["str"]), safe="")

    return "/" + PARAMETER.sub(fill, route.pattern)


def _client(role: str, world) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _no_500(response, what: str) -> None:
    assert response.status_code < 500, what


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "office_staff"])
def test_every_route_survives_the_worst_values(world, role):
    """Each route once per kind of bad value: a huge id, a NUL in a text argument and in the query, a long query
    value, and a form of every known field name holding a NUL, then 10,001 characters, then a huge number, and a
    form with a 1 MB text."""
    client = _client(role, world)
    for route in ROUTES:
        for value_for in (
            {"int": HUGE, "str": NUL, "slug": "a" * 300, "path": NUL},
            {"int": "1", "str": "pdf", "slug": "people", "path": "x"},
        ):
            url = _url(route, value_for)
            _no_500(client.get(url, {"q": NUL, "page": HUGE, "field": NUL}), f"GET {url}")
            _no_500(client.get(url + "?" + urlencode({"q": MEGABYTE[:200_000]})), f"GET {url} long query")
            for data in (
                dict.fromkeys(FIELD_NAMES, NUL),
                dict.fromkeys(FIELD_NAMES, LONG),
                dict.fromkeys(FIELD_NAMES, HUGE),
                {"text": MEGABYTE, "name": MEGABYTE[:300_000]},
            ):
                _no_500(client.post(url, data), f"POST {url} {sorted(data)[:3]}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "office_staff"])
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mixes_of_bad_values_never_give_a_500(world, role, data):
    client = _client(role, world)
    route = data.draw(st.sampled_from(ROUTES), label="route")
    value_for = {
        "int": data.draw(st.sampled_from(BAD_PATH_VALUES) | st.integers(0, 40).map(str), label="int"),
        "str": data.draw(st.sampled_from(["pdf", "docx", "xlsx", "csv", *BAD_TEXT_VALUES]), label="str"),
        "slug": data.draw(st.sampled_from(["people", "organizations", "positions", "a" * 300]), label="slug"),
    }
    value_for["path"] = value_for["str"]
    url = _url(route, value_for)
    values = st.sampled_from(BAD_FORM_VALUES) | st.text(max_size=30) | st.integers().map(str)
    query = data.draw(st.dictionaries(st.sampled_from(RAW_NAMES[:8]), values, max_size=3), label="query")
    _no_500(client.get(url, query), f"GET {url} {query!r:.200}")
    form = data.draw(st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=12), label="form")
    _no_500(client.post(url, form), f"POST {url} {form!r:.200}")
