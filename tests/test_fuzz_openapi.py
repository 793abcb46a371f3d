"""The OpenAPI document, fuzzed against the server it describes (schemathesis, in process).

Every operation of `/openapi.json` (the cube API and `/api/v1`) gets requests generated from
its documented parameters and bodies, and every check schemathesis has runs on each answer
(as `schemathesis run --checks all` does, with the project's schemathesis.toml): no 5xx; the
status code, content type, headers and body's schema the document promises; data the
document forbids refused and data it allows accepted; `Allow` on 405s listing the documented
methods. So the document cannot drift from the server (a status, a type, a range or an
empty value it gets wrong fails here) and a hostile but well-formed request cannot crash a
view.

The example count is bounded per operation so the whole run stays well under a minute on a
busy 2-core machine, and generation is derandomized: the suite answers the same way every
run, and a failure is reproduced by running it again.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.openapi import from_wsgi

from lmi_cubes.cube_server.app import create_app

# Per operation (34 operations, GET and POST): with schemathesis's coverage phase (boundary
# and invalid values of every parameter) about 2,500 requests in all. A deeper run
# before a release: LMI_CUBES_FUZZ_EXAMPLES=500 LMI_CUBES_FUZZ_SEED=random pytest this file.
MAX_EXAMPLES = int(os.environ.get("LMI_CUBES_FUZZ_EXAMPLES", "25"))
DERANDOMIZE = os.environ.get("LMI_CUBES_FUZZ_SEED", "fixed") == "fixed"
# schemathesis.toml says why a 400 counts as accepting schema-valid data (members are data)
CONFIG = SchemathesisConfig.from_path(Path(__file__).parents[1] / "schemathesis.toml")

# The document depends on the model and the route map only, never on the warehouse, so it is
# read at collection from an app whose warehouse is never opened: schemathesis needs the
# operations to parametrize the test. (Its fixture-based loader, `from_fixture`, reads
# pytest's private `Function._nodeid`, which pytest 9.2 no longer has.) The requests go to
# an app on the tiny warehouse; the first test checks that it serves the same document.
DOCUMENT_APP = create_app({"WAREHOUSE": "never-opened.duckdb"})
schema = from_wsgi("/openapi.json", DOCUMENT_APP, config=CONFIG)


@pytest.fixture(scope="module")
def app(warehouse: Path) -> Flask:
    return create_app({"WAREHOUSE": str(warehouse)})


def test_the_fuzzed_document_is_the_one_the_served_app_answers(app: Flask) -> None:
    served = app.test_client().get("/openapi.json").get_json()
    assert served == DOCUMENT_APP.test_client().get("/openapi.json").get_json()
    assert {"/cube/{cube}/aggregate", "/api/v1/ashe/estimatePay"} <= set(served["paths"])


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=DERANDOMIZE,
    database=None,  # no .hypothesis/ left in the tree; a failure prints its curl line
    deadline=None,  # the first query of an operation opens the warehouse; time is not the test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_documented(case: schemathesis.Case, app: Flask) -> None:
    # schemathesis' WSGI transport asks for gzip and br but hands the body over undecoded;
    # compression has its own test over real HTTP (tests/test_api_files.py); every check
    # enabled in the configuration: all of them
    case.call_and_validate(app=app, headers={"Accept-Encoding": "identity"})
