"""What the plugin keeps between builds: a read bibliography, a formatted document.

Kept apart from the modules that make them, so that loading them from the cache
imports neither bibtexparser nor citeproc-py: a build with everything cached
needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blogtools.problems import Problem


@dataclass
class Bibliography:
    """Every readable entry as CSL-JSON, where each starts, and what was wrong."""

    entries: dict[str, dict] = field(default_factory=dict)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def merge(self, other: Bibliography) -> None:
        for key, entry in other.entries.items():
            if key in self.entries:
                path, line = other.locations[key]
                first = ":".join(map(str, self.locations[key]))
                self.problems.append(
                    Problem(
                        path,
                        line,
                        f"duplicate key '{key}' (also at {first})",
                        "rename one of them; the first one is used",
                    )
                )
                continue
            self.entries[key] = entry
            self.locations[key] = other.locations[key]
        self.problems.extend(other.problems)


@dataclass
class FormattedDocument:
    """One document's citations and reference list, as HTML.

    ``clusters[i]`` is a list of segments ``(item_index, html)``: item_index is
    the position of the cite in the cluster whose text the segment is (to link
    it to its entry), or None for the text around cites. ``entries`` are
    (key, html) in the style's order; ``labels`` hold a numeric style's numbers.
    """

    clusters: list[list[tuple[int | None, str]]]
    entries: list[tuple[str, str]]
    numeric: bool
    hanging_indent: bool


@dataclass
class BibIndex:
    """What a build needs of the bibliography when nothing is to be formatted: which keys
    exist, a digest of each entry (for cache keys), how each sorts and where it is."""

    digests: dict[str, str] = field(default_factory=dict)
    sort_keys: dict[str, tuple] = field(default_factory=dict)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
