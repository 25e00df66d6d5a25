"""The message catalogs (plots/catalogs/<lang>.po): every label, heading and fixed sentence of the
report in English and Chinese, one message per id with {named} placeholders. Each catalog is
compiled by GNU msgfmt --check when first used and read with Python's gettext; a missing message is
an error, never its id printed."""
import functools
import gettext
import io
import os
import re
import subprocess

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "catalogs")
LANGUAGES = ("en", "zh")


class CatalogError(Exception):
    pass


def path(lang):
    return os.path.join(DIR, f"{lang}.po")


class _Missing(gettext.NullTranslations):
    """The fallback of every catalog: a message it lacks is an error, not its id printed."""

    def __init__(self, lang):
        super().__init__()
        self.lang = lang

    def gettext(self, message):
        raise KeyError(f"no message {message!r} in the {self.lang} catalog ({path(self.lang)})")


class Messages:
    """A language's messages by id: messages[id], messages.get(id, default), id in messages."""

    def __init__(self, lang, translations):
        self.lang = lang
        translations.add_fallback(_Missing(lang))
        self._translations = translations

    def __getitem__(self, message_id):
        return self._translations.gettext(message_id)

    def __contains__(self, message_id):
        try:
            self[message_id]
        except KeyError:
            return False
        return True

    def get(self, message_id, default=None):
        return self[message_id] if message_id in self else default


@functools.lru_cache(maxsize=None)
def messages(lang):
    if lang not in LANGUAGES:
        raise CatalogError(f"no catalog for language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    try:
        compiled = subprocess.run(["msgfmt", "--check", "-o", "-", path(lang)], capture_output=True, check=True).stdout
    except FileNotFoundError as e:
        raise CatalogError("msgfmt is missing: run scripts/install-deps.sh (gettext)") from e
    except subprocess.CalledProcessError as e:
        raise CatalogError(f"{path(lang)} does not compile: {e.stderr.decode(errors='replace').strip()}") from e
    return Messages(lang, gettext.GNUTranslations(io.BytesIO(compiled)))


_ENTRY = re.compile(r'^msgid "(.*)"\nmsgstr ((?:".*"\n?)+)', re.M)


def _unquote(lines):
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', lines)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), "".join(parts))


def entries(lang):
    """{id: text} as written in the catalog file (for the tests that compare the languages)."""
    with open(path(lang), encoding="utf-8") as f:
        text = f.read()
    return {m.group(1): _unquote(m.group(2)) for m in _ENTRY.finditer(text) if m.group(1)}
