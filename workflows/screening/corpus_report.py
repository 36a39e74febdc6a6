"""``python -m workflows.screening.corpus_report``: print the corpus measurements (see ``corpus``).

The held-out corpus is reported as figures only: its texts are not to be read while rules are written
(``--held-out-texts`` prints them, for whoever adds held-out texts).
"""

import sys

from workflows.screening.corpus import DEFAULT_CORPUS, HELD_OUT_CORPUS, corpus_measure

if __name__ == "__main__":
    print(corpus_measure(DEFAULT_CORPUS).report("Development corpus (dev/)"))
    if "--dev" not in sys.argv:
        print(
            corpus_measure(HELD_OUT_CORPUS).report(
                "Held-out corpus (held_out/, written apart from the rules)", texts="--held-out-texts" in sys.argv
            )
        )
