"""Front matter checked before Pelican reads a post: every problem named with its line.

The plugin is ``reader.py``; its settings and what it does are said there.
"""

from .reader import register

__all__ = ["register"]
