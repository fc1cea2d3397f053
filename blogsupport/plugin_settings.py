"""A plugin's settings declared once, each with its default and meaning.

Pelican passes every setting through, known or not, so a misspelt ``CITATION_STYLE``
would be silently ignored. Each plugin declares its settings in a ``Schema``; when a
build starts, the defaults are written into the settings (as Pelican does for its
own, so that whatever else reads them sees the same values) and any other name with
the plugin's prefix, or a likely misspelling of it, is reported with the nearest
known name.
"""

from __future__ import annotations

import copy
import difflib
import logging
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, line_of

SETTINGS_FILES = ("publishconf.py", "pelicanconf.py")


@dataclass(frozen=True)
class Schema:
    """The settings of one plugin: ``{NAME: (default, meaning)}``, all starting with
    ``prefix``; ``misspelt`` are prefixes an author may write instead (``CITATION_``)."""

    prefix: str
    settings: dict[str, tuple[object, str]]
    misspelt: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # names with the prefix set elsewhere (by the plugin, Pelican)

    def apply(self, settings: dict, logger: logging.Logger) -> None:
        """Defaults written where the settings leave them out; unknown names reported."""
        for name, (default, _) in self.settings.items():
            if name not in settings:
                settings[name] = copy.copy(default)
        for problem in self.unknown(settings):
            problem.log(logger)

    def unknown(self, settings: dict) -> list[Problem]:
        """A problem for each name that looks meant for this plugin but is not one of its."""
        known = [*self.settings, *self.others]
        found = []
        for name in settings:
            if name in known:
                continue
            if name.startswith(self.prefix):
                fix = self._nearest(name, known)
            else:
                wrong = next((p for p in self.misspelt if name.startswith(p)), None)
                if wrong is None:
                    continue
                right = self.prefix + name[len(wrong) :]
                fix = f"write {right}" if right in known else self._nearest(right, known)
            found.append(setting_problem(name, f"unknown setting {name}", fix))
        return found

    def _nearest(self, name: str, known: list[str]) -> str:
        """The known name nearest to ``name``, by what follows the prefix they share."""
        cut = len(self.prefix)
        close = difflib.get_close_matches(name[cut:], [k[cut:] for k in known], n=1)
        return f"did you mean {self.prefix}{close[0]}?" if close else "known: " + ", ".join(known)

    def table(self) -> str:
        """The settings as a Markdown table, for a plugin's documentation."""
        rows = ["| setting | default | meaning |", "|---|---|---|"]
        rows += [f"| `{n}` | `{d!r}` | {m} |" for n, (d, m) in self.settings.items()]
        return "\n".join(rows)


def setting_problem(name: str, message: str, fix: str) -> Problem:
    """A problem with a setting, at the line of the settings file that sets it."""
    for settings_file in SETTINGS_FILES:
        path = Path.cwd() / settings_file
        line = line_of(path, name) if path.is_file() else None
        if line:
            return Problem(settings_file, line, message, fix)
    return Problem(SETTINGS_FILES[-1], None, message, fix)


def cache_folder(settings: dict) -> Path:
    """Where the plugins keep what they computed: ``PLUGIN_CACHE_PATH``, else Pelican's
    ``CACHE_PATH``."""
    return Path(settings.get("PLUGIN_CACHE_PATH") or settings.get("CACHE_PATH") or "cache")
