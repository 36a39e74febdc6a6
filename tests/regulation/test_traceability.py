"""The map from clause to code to test (docs/regulation.md) is current and leaves no clause out (issue 19)."""

from pathlib import Path

from regulation import traceability
from regulation.clauses import CLAUSES


def test_every_clause_that_asks_something_of_software_has_a_rule_and_a_named_test():
    assert traceability.rule_problems() == []
    assert traceability.gaps() == []
    assert {clause.code for clause in CLAUSES if not clause.asks_software} == {"2.1", "2.2.5"}


def test_the_checked_in_map_is_what_the_code_and_the_tests_give():
    current = (traceability.ROOT / traceability.MAP_PATH).read_text(encoding="utf-8")
    assert current == traceability.render(), "run: python -m regulation.traceability"
    assert traceability.main(["--check"]) == 0


def test_a_test_belongs_to_the_longest_code_its_name_starts_with():
    assert traceability._clause_of("test_3_1_4_admission_rules") == "3.1.4"
    assert traceability._clause_of("test_1_2_the_head_appoints") == "1.2"
    assert traceability._clause_of("test_3_1_a_new_site") is None  # 3.1 is a heading, not a clause
    assert traceability._clause_of("test_9_9_nothing") is None
    assert traceability._clause_of("test_the_head") is None


def test_a_missing_test_or_a_removed_rule_is_reported(tmp_path: Path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_some.py").write_text("def test_3_1_4_admission():\n    pass\n", encoding="utf-8")
    (tmp_path / "school_sections").mkdir()
    (tmp_path / "school_sections" / "completeness.py").write_text("def admission_missing():\n    pass\n")
    gaps = traceability.gaps(tmp_path)
    assert "3.1.4: no test named test_3_1_4_…" not in gaps
    assert "3.1.1: no test named test_3_1_1_…" in gaps
    problems = traceability.rule_problems(tmp_path)
    assert "3.1.1: school_sections/completeness.py defines no contacts_missing" in problems
    assert "1.1: tenants/middleware.py does not exist" in problems
    assert "3.1.4: school_sections/completeness.py defines no admission_missing" not in problems
