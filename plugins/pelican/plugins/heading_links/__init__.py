"""Every heading of a post given a stable id and a link to itself, for readers who cite.

The plugin is ``headings.py``; its settings and what it does are said there.
"""

from .headings import register

__all__ = ["register"]
