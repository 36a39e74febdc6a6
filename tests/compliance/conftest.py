"""Fixtures of the compliance tests."""

from tests.compliance.link_server import link_server  # noqa: F401 (a real HTTP server for the link checker)
