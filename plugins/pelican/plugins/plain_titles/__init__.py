"""Feed entries titled as their posts are: with the text the author wrote.

The plugin is ``titles.py``; its settings and what it does are said there.
"""

from .titles import register

__all__ = ["register"]
