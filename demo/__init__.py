"""The demo region of `make demo`: three schools with content, people and a submission waiting.

The top floor: it fills schools through the services of every floor below, and nothing imports it
(an import-linter contract in `make lint` checks that).
"""
