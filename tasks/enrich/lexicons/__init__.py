"""The enrich stage's word lists, as data files beside this module.

Names, titles and name endings for the entity rules (`tasks.enrich.nlp_gazetteer`), and the
cue words of the subject categories in each language (`tasks.enrich.taxonomy`). Each file
is UTF-8 text: a header of `#` lines says what it lists, where it comes from and its
licence; after it, one entry per line (blank lines are skipped). The files are package data
(pyproject.toml), so an installed wheel has them, and each is read once per process.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=64)  # a few dozen files, each read once per process
def entries(name: str) -> tuple[str, ...]:
    """The entries of `<name>.txt`, in file order."""
    text = files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def aliases(name: str) -> dict[str, str]:
    """`Canonical | alias | alias` entries -> {every spelling: canonical}."""
    out: dict[str, str] = {}
    for entry in entries(name):
        names = [n.strip() for n in entry.split("|") if n.strip()]
        for spelling in names:
            out[spelling] = names[0]
    return out


def sections(name: str) -> dict[str, tuple[str, ...]]:
    """`[section]` lines and the entries under each, in file order."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for entry in entries(name):
        if entry.startswith("[") and entry.endswith("]"):
            current = out.setdefault(entry[1:-1], [])
        elif current is None:
            raise ValueError(f"{name}.txt: {entry!r} comes before the first [section]")
        else:
            current.append(entry)
    return {section: tuple(items) for section, items in out.items()}
