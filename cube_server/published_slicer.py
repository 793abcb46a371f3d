"""The published cubes on the Slicer routes, so Slicer clients reach them as they reach any cube.

`/cubes` lists the imported published cubes beside the modelled ones, and
`/cube/<name>/{model,members/<dim>,aggregate,cell,crosstab}` of a published cube answer
exactly as `/published/<name>/...` do: the Slicer views are wrapped, and a published
cube's name hands the request to the published view. The names are reserved: a model
that declares a cube of the same name is refused when the server starts, so one name
never means two cubes. Published answers are cached like the modelled ones, keyed on the
published store's version, so an import is served from the next request on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request

from lmi_cubes.aggregates.published_choice import ASHE, CUBE_LABELS, WF
from lmi_cubes.cube_server import published_api
from lmi_cubes.model import Model

CATEGORY = "published statistics"
DESCRIPTIONS = {
    ASHE: "Figures exactly as published by the Office for National Statistics in the Annual "
    "Survey of Hours and Earnings tables, with ONS's quality marks; only the "
    "cross-classifications of the imported tables are answered",
    WF: "Projections exactly as published by the Department for Education in the Working "
    "Futures / Skills Imperative MainTables workbooks; only the cross-classifications of "
    "the imported workbooks are answered",
}
# Slicer endpoint -> the published view that answers it
ROUTES: dict[str, Callable[..., Response]] = {
    "slicer.model": published_api.model,
    "slicer.members": published_api.members,
    "slicer.aggregate": published_api.aggregate,
    "slicer.cell": published_api.cell,
    "api.crosstab": published_api.crosstab,
}


class NameClash(ValueError):
    """A modelled cube takes a name reserved for a published cube."""


def check_names(model: Model) -> None:
    clash = sorted({c.name for c in model.cubes} & set(CUBE_LABELS))
    if clash:
        raise NameClash(
            f"the model declares cube(s) {', '.join(clash)}: these names are reserved for "
            "the published-statistics cubes; rename the modelled cube"
        )


def route(app: Flask, model: Model) -> None:
    """Wrap the Slicer views (registered before this is called) to dispatch published cubes."""
    check_names(model)
    for endpoint, published_view in ROUTES.items():
        original = app.view_functions[endpoint]
        app.view_functions[endpoint] = _dispatching(original, published_view)


def _dispatching(
    original: Callable[..., Any], published_view: Callable[..., Response]
) -> Callable[..., Any]:
    @functools.wraps(original)
    def view(**kwargs: Any) -> Any:
        if kwargs.get("cube") in CUBE_LABELS:
            return _cached(published_view, kwargs)
        return original(**kwargs)

    return view


def _cached(view: Callable[..., Response], kwargs: dict[str, Any]) -> Response:
    """The published view's answer from the result cache, keyed on the store's version and
    the raw arguments (the published views refuse a repeated parameter, so the raw
    arguments are the parsed query); only successful answers are kept."""
    cache = current_app.extensions["lmi_cubes"].cache
    key = (
        "published",
        published_api.store_version(),
        request.path,
        tuple(sorted(request.args.items(multi=True))),
    )
    hit = cache.get(key)
    if hit is None:
        response = view(**kwargs)
        if response.status_code != 200:
            return response
        hit = (response.get_data(), response.mimetype, dict(response.headers))
        cache.put(key, hit)
    body, mimetype, headers = hit
    response = Response(body, mimetype=mimetype)
    for name in ("Cache-Control", "Content-Disposition"):
        if name in headers:
            response.headers[name] = headers[name]
    return response


def cube_entries() -> list[dict[str, Any]]:
    """The imported published cubes as `/cubes` lists them."""
    state = current_app.extensions.get(published_api.EXTENSION)
    store = state.current() if state is not None else None
    if store is None:
        return []
    entries = []
    for cube in store.cubes():
        tables = [t for t in store.tables if t.cube == cube]
        edition = (
            (lambda t: f"{t.year} {t.release}")
            if cube == ASHE
            else (lambda t: f"{t.area}, {t.release}")
        )
        sources = sorted({f"{t.provenance['table']} ({edition(t)})" for t in tables})
        entries.append(
            {
                "name": cube,
                "label": CUBE_LABELS[cube],
                "description": f"{DESCRIPTIONS[cube]}. Imported: {'; '.join(sources)}",
                "category": CATEGORY,
                "info": {"publication": tables[0].provenance["publication"]},
            }
        )
    return entries
