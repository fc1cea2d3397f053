"""Build messages one to a line, whole, as editors and terminals can follow them.

The plugin is ``formatter.py``; its settings and what it does are said there.
"""

from .formatter import register

__all__ = ["register"]
