"""LMI for All API v1 compatibility: the original's paths, shapes and quirks under /api/v1.

Existing careers websites and apps switch by changing only their base URL. Every figure is a
cube query through the engine (see `cubes.py`); search and occupation texts come from the
coding index loaded with the warehouse (see `search.py`). Errors keep the original's shape,
`{"error": "..."}`, and its status codes, including the empty 200 for an unknown SOC code.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from lmi_cubes.aggregates.query import AGES, change_years
from lmi_cubes.cube_server.errors import status_of
from lmi_cubes.cube_server.lmi4all import cubes, published_pay
from lmi_cubes.cube_server.lmi4all.common import (
    FILTERS,
    Lmi4AllError,
    cached_body,
    codings,
    error,
    filter_named,
    lenient_bool,
    optional_int,
    parse_filters,
    render,
    required_int,
    served,
)
from lmi_cubes.cube_server.lmi4all.openapi_paths import extend_openapi
from lmi_cubes.cube_server.lmi4all.search import occupation_index
from lmi_cubes.model.errors import QueryError
from lmi_cubes.warehouse import QueryTimeout

log = logging.getLogger("lmi_cubes.cube_server")
lmi4all = Blueprint("lmi4all", __name__, url_prefix="/api/v1")
IGNORED = {"callback", "_"}


def register(app: Flask) -> None:
    app.register_blueprint(lmi4all)
    app.extensions.setdefault("openapi_extensions", []).append(extend_openapi)


def _key() -> tuple[Any, ...]:
    args = tuple(sorted((k, v) for k, v in request.args.items(multi=True) if k not in IGNORED))
    return (request.path, args)


@lmi4all.after_request
def _cors(response: Response) -> Response:
    """Browsers preflight a signed fetch (Authorization, Date headers): allow it."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Date, X-Requested-With"
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    if request.method == "OPTIONS" and response.status_code == 200:
        response.headers["Allow"] = "GET, HEAD, OPTIONS"  # the catch-all route takes the rest
    return response


@lmi4all.errorhandler(Lmi4AllError)
def _own_error(exc: Lmi4AllError) -> Response:
    return error(exc.status, exc.message)


@lmi4all.errorhandler(QueryError)
def _query_error(exc: QueryError) -> Response:
    return error(status_of(exc), exc.message)


@lmi4all.errorhandler(QueryTimeout)
def _timeout(exc: QueryTimeout) -> Response:
    return error(504, str(exc))


@lmi4all.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    """The server's own refusals (a URL or body too long, a client over its limits) in the
    original's error shape, with the headers they carry (Retry-After, Allow)."""
    response = error(exc.code or 500, exc.description or exc.name)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@lmi4all.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    unavailable = current_app.extensions["lmi_cubes"].fault(exc)
    if unavailable is not None:
        return error(503, f"The data is unavailable: {unavailable}")
    log.exception("internal error in /api/v1 %s", request.path, exc_info=exc)
    return error(500, "Internal server error.")


# -- SOC ---------------------------------------------------------------------------------


@lmi4all.get("/soc/search")
def soc_search() -> Response:
    q = request.args.get("q", "")
    if not q.strip():
        raise Lmi4AllError(400, "Please provide some text to search for, e.g. q=nurse.")
    index = occupation_index(served())
    return render([o.as_json() for o in index.search(q[:200])])


@lmi4all.get("/soc/code/<soc>")
def soc_code(soc: str) -> Response:
    occupation = occupation_index(served()).occupations.get(
        int(soc) if soc.isascii() and soc.isdigit() and len(soc) <= 9 else -1
    )
    if occupation is None:  # the original's quirk: an empty 200 means "not found"
        # text, not JSON: an empty body is not a JSON document (clients test for "")
        return Response(b"", 200, content_type="text/plain; charset=utf-8")
    return render(occupation.as_json())


# -- ASHE --------------------------------------------------------------------------------


def _ashe(cube: str, measure: str, field: str, round_to: float | None) -> dict[str, Any]:
    engine = served().engine
    c = engine.model.cube(cube)
    soc = required_int("soc")
    cuts, age = parse_filters(engine, c, request.args.get("filters"))
    if age is None:
        age = optional_int("age")
    if cube != "ashe_pay":
        age = None  # the hours source has no age ratios; the original ignored it here
    elif age is not None:
        if age not in AGES:
            raise Lmi4AllError(400, f"Age must be between {AGES[0]} and {AGES[-1]}.")
        measure = "mean_pay_at_age"
    ask = cubes.Ask(
        cube, measure, soc, tuple(cuts), age, request.args.get("breakdown"), round_to=round_to
    )
    code, items, _ = cubes.series(engine, ask, field, lenient_bool(request.args.get("coarse")))
    return {"soc": code, "series": items}


@lmi4all.get("/ashe/estimatePay")
def estimate_pay() -> Response:
    coarse = lenient_bool(request.args.get("coarse"))
    from_table = published_pay.estimate_pay(required_int("soc"), coarse)
    if from_table is not None:  # an imported ONS occupation table has the figure
        return render(from_table)
    return render(cached_body(_key(), lambda: _ashe("ashe_pay", "mean_pay", "estpay", None)))


@lmi4all.get("/ashe/estimateHours")
def estimate_hours() -> Response:
    return render(cached_body(_key(), lambda: _ashe("ashe_hours", "mean_hours", "hours", 1.0)))


@lmi4all.get("/ashe/annualChanges")
def annual_changes() -> Response:
    def build() -> dict[str, Any]:
        # unrounded published means: a change between two £10-rounded figures is noise
        body = _ashe("ashe_pay", "mean_pay", "estpay", 0.000001)
        items = body["series"]
        changes = [
            {"year": b["year"], "change": round((b["estpay"] / a["estpay"] - 1) * 100, 1)}
            for a, b in itertools.pairwise(items)
            if b["year"] == a["year"] + 1 and a["estpay"]
        ]
        return {"soc": body["soc"], "annual_changes": changes}

    return render(cached_body(_key(), build))


def _filters(cube: str, value_key: str, name_key: str, list_key: str) -> list[dict[str, Any]]:
    engine = served().engine
    c = engine.model.cube(cube)
    out = []
    for f in FILTERS:
        if c.has_dimension(f.dimension):
            items = [{name_key: label, value_key: key} for key, label in codings(engine, c, f)]
            out.append({"name": f.name, list_key: items})
    return out


def _ashe_filters() -> list[dict[str, Any]]:
    ages = [{"name": str(a), "value": a} for a in AGES]
    return [*_filters("ashe_pay", "value", "name", "codings"), {"name": "age", "codings": ages}]


@lmi4all.get("/ashe/filters")
def ashe_filters() -> Response:
    return render([f["name"] for f in _ashe_filters()])


@lmi4all.get("/ashe/filters/all")
def ashe_filters_all() -> Response:
    return render(_ashe_filters())


@lmi4all.get("/ashe/filter/<name>")
def ashe_filter(name: str) -> Response:
    found = next((f for f in _ashe_filters() if f["name"] == name.lower()), None)
    if found is None:
        raise Lmi4AllError(404, f"There is no ASHE filter named {name[:40]!r}.")
    return render(found)


# -- Working Futures ---------------------------------------------------------------------


def _years() -> tuple[list[int], list[int]]:
    """All years and the projection years of the loaded vintage."""
    engine = served().engine
    dim = engine.model.cube("working_futures").dimension("year", "year")
    table = engine.catalog.table(dim)
    years = sorted(int(y) for y in table.column("year"))
    kind = table.column("kind") if "kind" in table else ["history"] * len(table)
    kinds = dict(zip((int(y) for y in table.column("year")), kind, strict=True))
    projection = [y for y in years if kinds.get(y) == "projection"] or years
    return years, projection


def _wf(breakdown: str | None) -> dict[str, Any]:
    engine = served().engine
    c = engine.model.cube("working_futures")
    soc = required_int("soc")
    cuts, _ = parse_filters(engine, c, request.args.get("filters"))
    years, projection = _years()
    low = optional_int("minYear")
    high = optional_int("maxYear")
    low = projection[0] if low is None else low
    high = years[-1] if high is None else high
    chosen = [y for y in years if low <= y <= high]
    body: dict[str, Any] = {"soc": soc}
    if breakdown:
        body["breakdown"] = breakdown
    if not chosen:
        cubes.run(engine, cubes.Ask("working_futures", "employment", soc), soc)  # checks soc
        return {**body, "predictedEmployment": []}
    ask = cubes.Ask(
        "working_futures",
        "employment",
        soc,
        tuple(cuts),
        breakdown=breakdown,
        years=(chosen[0], chosen[-1]),
    )
    return {**body, "predictedEmployment": cubes.wf_items(engine, ask)}


@lmi4all.get("/wf/predict")
def wf_predict() -> Response:
    return render(cached_body(_key(), lambda: _wf(None)))


@lmi4all.get("/wf/predict/breakdown/<dimension>")
def wf_breakdown(dimension: str) -> Response:
    name = dimension.lower()
    c = served().engine.model.cube("working_futures")
    if filter_named(name, c) is None:
        raise Lmi4AllError(404, f"There is no breakdown by {dimension[:40]!r}.")
    return render(cached_body(_key(), lambda: _wf(name)))


@lmi4all.get("/wf/replacement_demand")
def wf_replacement() -> Response:
    def build() -> dict[str, Any]:
        engine = served().engine
        soc = required_int("soc")
        years, _ = _years()
        cube = engine.model.cube("working_futures")
        first, last = change_years(cube, engine.catalog)
        start = optional_int("minYear") or first
        end = optional_int("maxYear") or last
        if start not in years or end not in years or start >= end:
            raise Lmi4AllError(400, f"The years must be {years[0]}..{years[-1]}, start < end.")
        ask = cubes.Ask("working_futures", "replacement_demand", soc, period=(start, end))
        return cubes.replacement(engine, ask)

    return render(cached_body(_key(), build))


def _wf_filters() -> list[dict[str, Any]]:
    c = served().engine.model.cube("working_futures")
    infos = _filters("working_futures", "code", "description", "coding")
    for info in infos:
        info["description"] = c.dimension(info["name"], "name").label
    return [
        {"name": i["name"], "description": i["description"], "coding": i["coding"]} for i in infos
    ]


@lmi4all.get("/wf/filters")
def wf_filters() -> Response:
    return render([f["name"] for f in _wf_filters()])


@lmi4all.get("/wf/filters/all")
def wf_filters_all() -> Response:
    return render(_wf_filters())


@lmi4all.get("/wf/filters/info/<name>")
def wf_filter_info(name: str) -> Response:
    found = next((f for f in _wf_filters() if f["name"] == name.lower()), None)
    if found is None:
        raise Lmi4AllError(404, f"There is no Working Futures filter named {name[:40]!r}.")
    return render(found)


# -- everything else ---------------------------------------------------------------------


@lmi4all.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@lmi4all.route("/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def other(rest: str) -> Response:
    """Paths outside this server's scope (vacancies, census, LFS, ESS...) and non-GET calls."""
    if request.method not in ("GET", "HEAD"):
        response = error(405, "Only GET requests are supported.")
        response.headers["Allow"] = "GET, HEAD, OPTIONS"
        return response
    return error(404, f"/api/v1/{rest[:80]} is not available on this server.")
