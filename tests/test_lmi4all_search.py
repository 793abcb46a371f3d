"""Occupation search and SOC texts: job titles from the ONS coding index find their unit
group, fast; descriptions come only from an optional classification file."""

from __future__ import annotations

from pathlib import Path

import orjson
import pandas as pd
import pytest

from lmi_cubes.cli import load_warehouse
from lmi_cubes.cube_server.app import create_app
from lmi_cubes.etl.classifications import reference_path
from lmi_cubes.etl.problems import ValidationFailed
from support import copy_data

# (job title from the coding index, its unit group); none is a SOC group title
TITLES = [
    ("CID officer", 1172),
    ("Farm shop manager", 1190),
    ("Seismologist", 2113),
    ("Intranet manager", 2133),
    ("General practice registrar", 2211),
    ("Nurse", 2231),
    ("Management development adviser", 2423),
    ("Mother superior", 2444),
    ("Branch librarian", 2451),
    ("Dental ceramist", 3218),
    ("Bond dealer", 3532),
    ("Agricultural agent", 3542),
    ("Pay clerk", 4122),
    ("Accountant's clerk", 4122),
    ("Planning clerk", 4131),
    ("Superannuation officer", 4132),
    ("Library assistant", 4135),
    ("Sales order clerk", 4151),
    ("Receiving office clerk", 4159),
    ("Typing supervisor", 4217),
    ("Horse shoer", 5211),
    ("Constructional plater", 5214),
    ("Tool room driller", 5221),
    ("Vehicle breakdown engineer", 5231),
    ("Plumber", 5314),
    ("Submersible pilot", 5319),
    ("Fittings cutter", 5413),
    ("Line etcher", 5421),
    ("Soap trimmer", 5449),
    ("Manufacturing jeweller", 5449),
    ("Nanny", 6122),
    ("Primary helper", 6125),
    ("HSDU technician", 6141),
    ("Telesales clerk", 7113),
    ("Coster", 7124),
    ("Customer services executive", 7219),
    ("Oil miller", 8111),
    ("Candlewick maker", 8113),
    ("Slipper drafter", 8113),
    ("Ingiver", 8113),
    ("Rag pulling machinist", 8113),
    ("Bobbin threader", 8113),
    ("Lime soaker", 8114),
    ("Sinter plant operator", 8117),
    ("Fly paper maker", 8121),
    ("Pick sharpener", 8125),
    ("Brush stamper", 8127),
    ("Saw plate straightener", 8129),
    ("Eyelet machinist", 8129),
    ("Sparking plug maker", 8131),
    ("Edge tool examiner", 8133),
    ("Loose cover maker", 8137),
    ("Sewing mistress", 8137),
    ("Bulldozer operator", 8229),
    ("Packing room foreman", 9134),
    ("Foundry labourer", 9139),
    ("Postwoman", 9211),
    ("Stock yard foreman", 9260),
    ("Wine waiter", 9273),
    ("Usherette", 9275),
]


@pytest.fixture(scope="module")
def client(warehouse: Path):
    return create_app({"WAREHOUSE": str(warehouse)}).test_client()


def search(client, q: str) -> list[dict]:
    response = client.get("/api/v1/soc/search", query_string={"q": q})
    assert response.status_code == 200
    return orjson.loads(response.data)


def test_titles_are_not_group_titles():
    soc = pd.read_csv(reference_path("soc2010.csv"))
    groups = {str(t).lower() for c in soc.columns if c.endswith("_title") for t in soc[c]}
    index = pd.read_csv(reference_path("soc_index.csv"), keep_default_na=False)
    pairs = set(zip(index["title"], index["soc4"], strict=True))
    assert 28000 < len(index) < 29000  # "about 28,500 job titles" (README)
    assert len(TITLES) >= 50
    for title, code in TITLES:
        assert title.lower() not in groups and (title, code) in pairs


def test_job_titles_find_their_unit_group(client):
    for title, code in TITLES:
        found = search(client, title)
        assert found and found[0]["soc"] == code, (title, code, [f["soc"] for f in found[:3]])
        assert len(found) <= 10


@pytest.mark.parametrize(
    ("q", "soc"),
    [("plumber", 5314), ("library assistant", 4135), ("nurse", 2231), ("Nurses", 2231),
     ("software developer", 2136), ("plumb", 5314), ("bus+driver", 8213), ("2136", 2136)],
)  # fmt: skip
def test_everyday_searches(client, q, soc):
    found = search(client, q.replace("+", " "))
    assert found[0]["soc"] == soc
    for item in found:
        assert set(item) == {"soc", "title", "description", "qualifications", "tasks", "add_titles"}
        assert type(item["soc"]) is int and all(isinstance(t, str) for t in item["add_titles"])
        assert item["title"] != "Missing"


def test_search_ranks_and_caps(client):
    found = search(client, "manager")
    assert len(found) == 10 and len({f["soc"] for f in found}) == 10
    assert search(client, "zzqxv") == []
    plus = client.get("/api/v1/soc/search?q=library+assistant")
    assert orjson.loads(plus.data)[0]["soc"] == 4135  # '+' is a space


def test_soc_code_lists_coding_index_titles_and_empty_texts(client):
    body = orjson.loads(client.get("/api/v1/soc/code/5314").data)
    assert body["soc"] == 5314
    assert body["title"] == "Plumbers and heating and ventilating engineers"
    assert "Plumber" in body["add_titles"]
    assert body["description"] == body["qualifications"] == body["tasks"] == ""


def test_descriptions_come_from_the_optional_file(tiny_dir, tmp_path):
    data = copy_data(tiny_dir, tmp_path / "data")
    (data / "soc_descriptions.csv").write_text(
        "soc4,description,qualifications,tasks\n"
        '5314,"Plumbers install pipes.","An apprenticeship.","installs pipes;\nrepairs leaks"\n'
    )
    (data / "soc_index.csv").write_text("soc4,title\n5314,Pipe wrangler\n2231,Nurse\n")
    target = tmp_path / "texts.duckdb"
    load_warehouse(data, target)
    client = create_app({"WAREHOUSE": str(target)}).test_client()
    body = orjson.loads(client.get("/api/v1/soc/code/5314").data)
    assert body["description"] == "Plumbers install pipes."
    assert body["qualifications"] == "An apprenticeship."
    assert body["tasks"] == " installs pipes;\n repairs leaks."
    assert body["add_titles"] == ["Pipe wrangler"]  # the data directory's index replaced ours
    assert orjson.loads(client.get("/api/v1/soc/search?q=wrangler").data)[0]["soc"] == 5314
    other = orjson.loads(client.get("/api/v1/soc/code/2231").data)
    assert other["description"] == other["tasks"] == ""


def test_a_bad_index_line_is_rejected_with_its_line(tiny_dir, tmp_path):
    data = copy_data(tiny_dir, tmp_path / "data")
    (data / "soc_index.csv").write_text("soc4,title\n5314,Plumber\n9999,Ghost\n2231,\n")
    with pytest.raises(ValidationFailed) as failure:
        load_warehouse(data, tmp_path / "texts.duckdb")
    assert failure.value.total == 2
    assert "soc_index.csv:3 column soc4" in str(failure.value)
    assert "soc_index.csv:4 column title" in str(failure.value)
