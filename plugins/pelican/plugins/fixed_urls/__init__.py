"""Every address worked out once, not each time a template asks for it.

The plugin is ``addresses.py``; its settings and what it does are said there.
"""

from .addresses import register

__all__ = ["register"]
