"""Corrections and updates, dated, shown where readers and feed readers see them.

The plugin is ``notices.py``; its settings and what it does are said there.
"""

from .notices import register

__all__ = ["register"]
