"""A worker makes screening ready when it starts (workflows.screening.warm, issue 18)."""

import gc

from workflows.screening import matcher, words
from workflows.screening.concepts import built_in_concepts
from workflows.screening.model import built_in_model
from workflows.screening.rules import built_in_rules
from workflows.screening.warm import warm_up


def test_warm_up_loads_the_analysers_and_indexes_and_freezes_them():
    words._russian.cache_clear()
    words.word_keys.cache_clear()  # (the sample's words may be known from another test)
    matcher._rule_index.cache_clear()
    try:
        warm_up()
        assert words._russian.cache_info().currsize == 1  # the Russian dictionaries are loaded
        assert matcher._rule_index.cache_info().currsize == 1  # the built-in rules' index is built
        assert gc.get_freeze_count() > 0  # and what is loaded is out of the collector's sight
        # The first text after it is screened as any other.
        assert built_in_model.cache_info().currsize == 1  # the model's weights are read
        findings = matcher.text_findings("Мектептегі оқушылар", built_in_rules(), concepts=built_in_concepts())
        assert findings == []
    finally:
        gc.unfreeze()
