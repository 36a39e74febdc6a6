"""``manage.py screen_texts``: one JSON line per text with its findings and their offsets; bad lines say why."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.workflows.conftest import prohibited_example
from workflows.screening.concepts import built_in_concepts
from workflows.screening.corpus import DEFAULT_CORPUS, corpus_examples
from workflows.screening.matcher import text_findings
from workflows.screening.model import built_in_model
from workflows.screening.rules import built_in_rules


def _screen(tmp_path, lines: list[str], *args) -> tuple[list[dict], int]:
    source = tmp_path / "texts.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("screen_texts", str(source), *args, stdout=out)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return [json.loads(line) for line in out.getvalue().splitlines()], status


@pytest.mark.django_db
def test_each_text_gets_its_findings_with_offsets_into_the_text(tmp_path):
    prohibited = "Жаңалық: " + prohibited_example("3.3.1", "ru")
    results, status = _screen(
        tmp_path,
        [
            json.dumps({"id": 1, "lang": "ru", "text": prohibited}, ensure_ascii=False),
            json.dumps({"id": "two", "lang": "kk", "text": "Ертең мектепте спорт күні өтеді."}, ensure_ascii=False),
        ],
    )
    assert status == 0
    assert [result["id"] for result in results] == [1, "two"]
    (finding, *_others) = results[0]["findings"]
    assert finding["clause"] == "3.3.1" and finding["rule"]
    assert prohibited[finding["start"] : finding["end"]] == finding["matched"] != ""
    assert results[1]["findings"] == []


@pytest.mark.django_db
def test_a_bad_line_is_reported_and_the_others_are_still_screened(tmp_path):
    results, status = _screen(
        tmp_path,
        ["{not json", json.dumps({"id": 3, "lang": "de", "text": "x"}), json.dumps({"id": 4, "text": "Сәлем"})],
    )
    assert status == 1
    assert results[0]["error"].startswith("not JSON")
    assert results[1] == {"id": 3, "error": '"lang" must be one of kk, ru, en'}
    assert results[2] == {"id": 4, "findings": []}


@pytest.mark.django_db
def test_the_office_tries_a_rule_before_enabling_it(tmp_path):
    line = json.dumps({"id": 1, "lang": "ru", "text": "Сдаём учебники в библиотеку до пятницы."}, ensure_ascii=False)
    assert _screen(tmp_path, [line])[0][0]["findings"] == []
    results, _status = _screen(tmp_path, [line], "--rule", "сдаём учебник", "--clause", "3.3.6", "--only-tried")
    assert [(f["clause"], f["matched"], f["regional"]) for f in results[0]["findings"]] == [
        ("3.3.6", "Сдаём учебники", True)
    ]
    with pytest.raises(CommandError, match="--clause"):
        _screen(tmp_path, [line], "--rule", "сдаём учебник")


def _found_by_the_model_alone() -> str:
    """A prohibited example of the development corpus that no phrase or concept rule finds."""
    rules, concepts = built_in_rules(), built_in_concepts()
    for path in sorted((DEFAULT_CORPUS / "prohibited").glob("3.3.1.*.txt")):
        for example in corpus_examples(path):
            if not text_findings(example, rules, concepts=concepts) and text_findings(
                example, (), model=built_in_model()
            ):
                return example
    raise AssertionError("every example is found by a rule: pick another way to show the model")


@pytest.mark.django_db
def test_the_model_screens_too_and_not_with_only_the_tried_rules(tmp_path):
    text = _found_by_the_model_alone()
    line = json.dumps({"id": 1, "lang": "ru", "text": text}, ensure_ascii=False)
    [result], _status = _screen(tmp_path, [line])
    [finding] = result["findings"]
    assert finding["rule"].startswith("model:") and finding["clause"] == "3.3.1"
    assert text[finding["start"] : finding["end"]] == finding["matched"]
    [tried], _status = _screen(tmp_path, [line], "--rule", "никогда-такого-слова", "--clause", "3.3.1", "--only-tried")
    assert tried["findings"] == []
