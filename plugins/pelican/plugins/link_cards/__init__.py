"""A picture for every link shared: a 1200×630 card for each post, and one for the site.

The plugin is ``cards.py``; its settings and what it does are said there.
"""

from .cards import register

__all__ = ["register"]
