"""One build's state, kept in that build's settings, where every signal reaches it.

Pelican's signals pass different things (the Pelican object, a generator, a post,
the template context), and all of them carry the build's settings
(``pelican.settings``, ``generator.settings``, ``content.settings``; the context is
a copy of them). A plugin keeps what it holds for one build in one object under its
own key there: nothing lives in a module, and two builds in one process (the live
preview's, the tests') never see each other's. Pelican's cache pickles each post
with its settings, so the object pickles as nothing.

``connect()`` follows a build's life on Pelican's signals for a plugin whose work is
per post: the object is made as the build starts, hears of each post as it is read
(``read``) and of each generator once it has read everything (``generator_read``),
and ends with the build (``finish``).
"""

from __future__ import annotations

import logging
from typing import ClassVar, Self

from pelican import signals

from .generators import contents
from .plugin_settings import Schema
from .problems import reported


def _gone() -> None:
    return None


class PerBuild:
    """Base of a plugin's per-build object; ``key`` names its place in the settings."""

    key: ClassVar[str]  # "citations.build": the plugin's name, then what the object is
    logger: ClassVar[logging.Logger]  # the plugin's logger (named by the key's first part)
    what: ClassVar[str]  # the plugin's work, for a message about a post: "citations"
    schema: ClassVar[Schema | None]  # the plugin's settings

    def __init_subclass__(cls, key: str = "", what: str = "", schema: Schema | None = None):
        super().__init_subclass__()
        cls.key, cls.what, cls.schema = key, what or key.split(".")[0], schema
        cls.logger = logging.getLogger(key.split(".")[0])

    def __init__(self, settings: dict, logger: logging.Logger | None = None) -> None:
        self.settings = settings
        self.logger = logger or type(self).logger
        if self.schema is not None:
            self.schema.apply(settings, self.logger)

    @classmethod
    def start(cls, settings: dict, *args, **kwargs) -> Self:
        """A new build's object, in place of the one an earlier build with these settings
        left (closed: a build stopped by an error never reached its end)."""
        earlier = settings.get(cls.key)
        if isinstance(earlier, PerBuild):
            earlier.close()
        settings[cls.key] = made = cls(settings, *args, **kwargs)
        return made

    @classmethod
    def of(cls, holder) -> Self | None:
        """This build's object, from its settings or context, or from anything holding
        them (the Pelican object, a generator, a post); None outside a build."""
        settings = holder if isinstance(holder, dict) else getattr(holder, "settings", None)
        found = settings.get(cls.key) if isinstance(settings, dict) else None
        return found if isinstance(found, cls) else None

    def close(self) -> None:
        """Let go of what the object holds open (processes, files)."""

    def read(self, content) -> None:
        """A post or page as Pelican has just read it."""

    def generator_read(self, generator, contents: list) -> None:
        """A generator has read all its files (``contents``: every post it holds)."""

    def finish(self) -> None:
        """The build is over: report, save, let go."""
        self.close()

    @classmethod
    def connect(cls) -> None:
        """The build's life followed on Pelican's signals (bound to the class, so that
        connecting again, at each build of one process, connects nothing twice)."""
        signals.initialized.connect(cls._initialised)
        signals.content_object_init.connect(cls._content_read)
        signals.article_generator_finalized.connect(cls._generator_read)
        signals.page_generator_finalized.connect(cls._generator_read)
        signals.finalized.connect(cls._finalised)

    @classmethod
    def _initialised(cls, pelican) -> None:
        cls.start(pelican.settings, cls.logger)

    @classmethod
    def _content_read(cls, content) -> None:
        build = cls.of(content)
        if build is not None:
            with reported(cls.logger, str(content.source_path), f"{cls.what}: reading the post"):
                build.read(content)

    @classmethod
    def _generator_read(cls, generator) -> None:
        build = cls.of(generator)
        if build is not None:
            build.generator_read(generator, contents(generator))

    @classmethod
    def _finalised(cls, pelican) -> None:
        build = cls.of(pelican)
        if build is not None:
            build.finish()

    def __reduce__(self):
        return (_gone, ())
