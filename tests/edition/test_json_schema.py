"""The exported JSON Schemas accept what the loader accepts and reject what it rejects."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from pipeline.cli import run
from pipeline.edition.json_schema import json_schemas
from tests.support import SAMPLE_EDITION


def as_json(text: str) -> object:
    """YAML as an editor's tooling sees it (dates stay text)."""
    return json.loads(json.dumps(YAML(typ="safe").load(text), default=str))


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    found = json_schemas()
    for schema in found.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    return found


def test_schemas_declare_themselves_in_chinese(schemas: dict[str, dict]) -> None:
    issue, article = schemas["issue.schema.json"], schemas["article.schema.json"]
    assert issue["$schema"].endswith("2020-12/schema") and issue["$id"] == "urn:briefing:schema:issue"
    assert article["$id"] == "urn:briefing:schema:article"
    assert issue["title"].startswith("一期简报") and issue["properties"]["number"]["title"] == "当年期号"
    assert article["properties"]["source"]["examples"] == ["市场监管总局"]


def test_sample_edition_is_valid(schemas: dict[str, dict]) -> None:
    issue = as_json((SAMPLE_EDITION / "issue.yaml").read_text("utf-8"))
    jsonschema.validate(issue, schemas["issue.schema.json"])
    for path in sorted((SAMPLE_EDITION / "articles").glob("*.md")):
        front = path.read_text("utf-8").split("---\n")[1]
        jsonschema.validate(as_json(front), schemas["article.schema.json"])


@pytest.mark.parametrize(
    ("field", "value"),
    [("issue_date", "2025-11-5"), ("number", True), ("number", 0), ("issue_date", "30.11.2025")],
)
def test_manifest_values_the_loader_refuses(schemas: dict[str, dict], field: str, value: object) -> None:
    issue = as_json((SAMPLE_EDITION / "issue.yaml").read_text("utf-8"))
    assert isinstance(issue, dict)
    issue[field] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(issue, schemas["issue.schema.json"])


@pytest.mark.parametrize(
    ("field", "value"),
    [("published", "2025/11/05"), ("source_url", "www.samr.gov.cn"), ("source_url", "https://samr gov")],
)
def test_front_matter_values_the_loader_refuses(schemas: dict[str, dict], field: str, value: str) -> None:
    front = {"title": "标题", "source": "总局", "published": "2025-11-05 19:59", field: value}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(front, schemas["article.schema.json"])


def test_schema_command_writes_under_build(tmp_path: Path) -> None:
    assert run(["schema", "-o", str(tmp_path / "schema")]) == 0
    written = json.loads((tmp_path / "schema" / "issue.schema.json").read_text("utf-8"))
    assert written == json_schemas()["issue.schema.json"]
