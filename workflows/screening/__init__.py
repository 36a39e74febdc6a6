"""Screening (clause 3.3): find what the regulation prohibits before it is published.

Screening helps the responsible people; it never publishes or deletes anything on its own.
"""
