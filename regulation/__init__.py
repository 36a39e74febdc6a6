"""The regulation as code: the ground floor that every other package builds on.

``catalogue`` is the section catalogue (clause 3: 3.1.1-3.1.8 mandatory, 3.2.1-3.2.7 optional),
``roles`` the people the regulation names (clauses 1.2, 4, 5). This package imports nothing of
the platform's own (an import-linter contract in ``make lint`` checks it), so the rules can be read,
and tested, without tenancy, Wagtail or the console.
"""
