"""The theme's templates compiled once, not at every build.

The plugin is ``bytecode.py``; its settings and what it does are said there.
"""

from .bytecode import register

__all__ = ["register"]
