"""``python -m workflows.screening.corpus_report``: print the corpus measurement (see ``corpus``)."""

from workflows.screening.corpus import corpus_measure

if __name__ == "__main__":
    print(corpus_measure().report())
