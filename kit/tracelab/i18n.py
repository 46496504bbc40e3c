"""The language the kit speaks to a student and a grader: English, or
Vietnamese through gettext, in the domain "tracelab-kit" (po/kit/LANG.po,
compiled by `make` to build/locale/LANG/LC_MESSAGES/tracelab-kit.mo).

    from .i18n import _, N_, ngettext
    _("Found {n}.").format(n=3)

The language is chosen as the tracer chooses it (tracer/common/lang.c):
LANGUAGE's first known entry, else the first of LC_ALL, LC_MESSAGES, LANG
that is set; a grader overrides it with TRACELAB_LANG=vi or en. It is read
at each message, so a test or a grading run that sets the environment gets
its own language. Python's gettext reads the .mo itself: no vi_VN locale
needs to be generated.
"""

import gettext
import os
from pathlib import Path

DOMAIN = "tracelab-kit"
ENGLISH = "en"
# The languages there is a catalog for, English first (no catalog).
LANGUAGES = (ENGLISH, "vi")
OVERRIDE = "TRACELAB_LANG"
# Where `make` puts the catalogs, relative to the checkout (as the kit
# finds ./trace); TRACELAB_LOCALEDIR for an installed copy, as the tracer.
LOCALEDIR = Path(__file__).resolve().parents[2] / "build" / "locale"

_catalogs = {}


def _known(name):
    """The language a locale name or LANGUAGE entry names ("vi_VN.UTF-8",
    "vi"), if there is a catalog for it; None otherwise."""
    code = name
    for stop in "_.@:":
        code = code.split(stop, 1)[0]
    return code if code in LANGUAGES else None


def from_environment(env=None):
    """What the environment asks for, in the tracer's order."""
    env = os.environ if env is None else env
    for entry in (env.get("LANGUAGE") or "").split(":"):
        lang = entry and _known(entry)
        if lang:
            return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return _known(value) or ENGLISH
    return ENGLISH


def language(env=None):
    """The kit's language now: TRACELAB_LANG if set (en or vi), else the
    environment's. An unknown TRACELAB_LANG is an error, said once."""
    env = os.environ if env is None else env
    asked = env.get(OVERRIDE)
    if asked:
        if asked not in LANGUAGES:
            raise ValueError(f"{OVERRIDE}={asked!r}: give one of {', '.join(LANGUAGES)}")
        return asked
    return from_environment(env)


def _catalog(lang):
    if lang not in _catalogs:
        where = os.environ.get("TRACELAB_LOCALEDIR") or str(LOCALEDIR)
        _catalogs[lang] = (gettext.NullTranslations() if lang == ENGLISH else
                           gettext.translation(DOMAIN, where, languages=[lang], fallback=True))
    return _catalogs[lang]


def _(message):
    """The message in the kit's language."""
    return _catalog(language()).gettext(message)


def N_(message):
    """A message marked for translation, translated later with _()."""
    return message


def ngettext(singular, plural, n):
    """The singular or plural message for n, in the kit's language."""
    return _catalog(language()).ngettext(singular, plural, n)


def say(text, **languages):
    """A test's own sentence in the kit's language: text in English, the
    others by their code: say(f"child {pid}", vi=f"tiến trình con {pid}")."""
    return languages.get(language(), text)
