"""Screening made ready when a worker starts (issue 18), not at the first text it screens.

The first text a fresh process screens would pay for loading the Russian dictionaries, reading the rules and
concepts and building their indexes (0.3 s for a page). A web or Celery worker calls ``warm_up`` once at
start. Then everything loaded so far is moved out of the garbage collector's sight (``gc.freeze``): screening
a long document allocates tens of thousands of small objects, and each full collection would otherwise walk
the quarter of a million long-lived objects of Django, Wagtail and the dictionaries again (measured: a 50-page
document's median 350 ms with them, 230 ms frozen; bench/README.md).
"""

from __future__ import annotations

import gc

# A few words of each language.
_SAMPLE = "Мектептегі оқушылар school pupils школьники"


def warm_up() -> None:
    from workflows.screening.concepts import built_in_concepts
    from workflows.screening.matcher import text_findings
    from workflows.screening.model import built_in_model
    from workflows.screening.rules import built_in_rules
    from workflows.screening.words import load_analysers

    load_analysers()
    # A first text builds what is built per rule set (the phrase rules' index, the concepts' anchors).
    text_findings(_SAMPLE, built_in_rules(), concepts=built_in_concepts(), model=built_in_model())
    gc.collect()
    gc.freeze()
