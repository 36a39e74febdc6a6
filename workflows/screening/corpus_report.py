"""``python -m workflows.screening.corpus_report``: print the corpus measurements (see ``corpus``)."""

from workflows.screening.corpus import DEFAULT_CORPUS, HELD_OUT_CORPUS, corpus_measure

if __name__ == "__main__":
    print(corpus_measure(DEFAULT_CORPUS).report("Development corpus (dev/)"))
    print(corpus_measure(HELD_OUT_CORPUS).report("Held-out corpus (held_out/, written apart from the rules)"))
