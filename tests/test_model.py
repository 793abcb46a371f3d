"""Model files: the shipped ones load; broken ones report every problem with its path."""

from __future__ import annotations

import json
import shutil

import pytest

from lmi_cubes.aggregates.warehouse_check import check_warehouse
from lmi_cubes.model.errors import ModelError
from lmi_cubes.model.loader import default_model_dir, load_model
from lmi_cubes.warehouse.files import open_read_only


def test_shipped_models_load_and_match_the_warehouse(warehouse):
    model = load_model()
    assert [c.name for c in model.cubes] == ["ashe_hours", "ashe_pay", "working_futures"]
    pay = model.cube("ashe_pay")
    assert pay.reliability.suppress_below == 1000 and pay.reliability.reliable_from == 10000
    assert pay.dimension("occupation", "x").hierarchy(None, "x").level_names == [
        "soc1",
        "soc2",
        "soc3",
        "soc4",
    ]
    assert pay.aggregate("mean_pay", "x").ratio == ("paybill", "employment")
    check_warehouse(model, open_read_only(warehouse))


def test_every_problem_is_reported_with_file_and_key(tmp_path):
    for f in default_model_dir().glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    pay = json.loads((tmp_path / "ashe_pay.json").read_text())
    cube = pay["cubes"][0]
    cube["dimensions"].append("shoe_size")
    cube["aggregates"][2]["expression"] = "paybill / headcount"
    cube["info"]["reliability"]["weight"] = "people"
    cube["info"]["lookups"]["age_ratios"]["keys"][3]["level"] = "degree"
    cube["info"]["lookups"]["pay_distribution"]["keys"][0]["dimension"] = "job"
    (tmp_path / "ashe_pay.json").write_text(json.dumps(pay))
    dims = json.loads((tmp_path / "dimensions.json").read_text())
    del dims["dimensions"][3]["levels"][1]["key"]
    (tmp_path / "dimensions.json").write_text(json.dumps(dims))
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ModelError) as caught:
        load_model(tmp_path)
    text = "\n".join(caught.value.problems)
    assert "broken.json: not valid JSON" in text
    assert "ashe_pay.json: cubes[0].dimensions[7]: unknown dimension 'shoe_size'" in text
    assert "ashe_pay.json: cubes[0].aggregates[2]: expression uses 'headcount'" in text
    assert "ashe_pay.json: cubes[0].info.reliability: weight 'people'" in text
    assert "dimensions.json: dimensions[3].levels[1]: missing 'key'" in text
    assert "cubes[0].info.lookups.age_ratios.keys[3]: qualification has no level 'degree'" in text
    assert "cubes[0].info.lookups.pay_distribution.keys[0]: 'job' is not a dimension" in text


def test_a_weight_that_is_not_public_is_refused_with_its_path(tmp_path):
    """Every query reads the weight as a measure: a private one would fail them all."""
    for f in default_model_dir().glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    futures = json.loads((tmp_path / "working_futures.json").read_text())
    (employment,) = [a for a in futures["cubes"][0]["aggregates"] if a["name"] == "employment"]
    employment["info"]["public"] = False
    (tmp_path / "working_futures.json").write_text(json.dumps(futures))
    with pytest.raises(ModelError) as caught:
        load_model(tmp_path)
    assert caught.value.problems == [
        "working_futures.json: cubes[0].info.reliability: "
        "weight 'employment' is not a public sum aggregate"
    ]


def test_a_mapping_to_a_missing_column_is_reported(tmp_path, warehouse):
    for f in default_model_dir().glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    hours = json.loads((tmp_path / "ashe_hours.json").read_text())
    hours["cubes"][0]["measures"][1]["name"] = "overtime"
    hours["cubes"][0]["aggregates"][1]["measure"] = "overtime"
    (tmp_path / "ashe_hours.json").write_text(json.dumps(hours))
    with pytest.raises(ModelError) as caught:
        check_warehouse(load_model(tmp_path), open_read_only(warehouse))
    assert any("fact_ashe_hours.overtime" in p for p in caught.value.problems)


def test_the_protection_policy_is_declared_and_checked(tmp_path):
    assert {c.reliability.protection for c in load_model().cubes} == {"none"}
    for f in default_model_dir().glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    hours = json.loads((tmp_path / "ashe_hours.json").read_text())
    hours["cubes"][0]["info"]["reliability"]["protection"] = "table"
    (tmp_path / "ashe_hours.json").write_text(json.dumps(hours))
    assert load_model(tmp_path).cube("ashe_hours").reliability.protection == "table"
    hours["cubes"][0]["info"]["reliability"]["protection"] = "tables"
    (tmp_path / "ashe_hours.json").write_text(json.dumps(hours))
    with pytest.raises(ModelError) as caught:
        load_model(tmp_path)
    assert caught.value.problems == [
        "ashe_hours.json: cubes[0].info.reliability.protection: 'tables' is not one of "
        "'none', 'table'"
    ]
