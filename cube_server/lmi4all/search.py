"""Occupation search over SOC unit-group titles and the ONS coding index of job titles.

Built once per warehouse vintage into an in-memory inverted index (token -> entries), so a
query touches only entries sharing a token with it: a few thousand at worst ("worker"),
well under a millisecond to a few milliseconds. Ranking favours, in order: an entry whose
title is exactly the query, one that covers every query word with few extra words, one
that starts with the query; rarer words count more (idf), and a last word that is no
word of the index is read as a prefix, so typing "plumb" already finds plumbers. One result per unit group, best first.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from lmi_cubes.aggregates.catalog import DimTable
from lmi_cubes.cube_server.state import Served

MAX_RESULTS = 10
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"and", "of", "the", "in", "for", "to", "a", "an", "n", "e", "c", "nec"})


def stem(word: str) -> str:
    """A light plural folding: 'nurses' and 'nurse', 'secretaries' and 'secretary' meet."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower().replace("'", "")):
        if word not in _STOP:
            seen.setdefault(stem(word), None)
    return tuple(seen)


@dataclass(frozen=True)
class Occupation:
    soc: int
    title: str
    description: str
    qualifications: str
    tasks: str
    add_titles: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "soc": self.soc,
            "title": self.title,
            "description": self.description,
            "qualifications": self.qualifications,
            "tasks": self.tasks,
            "add_titles": list(self.add_titles),
        }


@dataclass
class OccupationIndex:
    occupations: dict[int, Occupation]
    entry_soc: list[int] = field(default_factory=list)
    entry_tokens: list[tuple[str, ...]] = field(default_factory=list)
    entry_bonus: list[float] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(cls, units: DimTable, index: DimTable, descriptions: DimTable) -> OccupationIndex:
        """units: soc4, soc4_title; index: soc4, title, qualifier; descriptions optional."""
        texts = {int(str(r["soc4"])): r for r in descriptions.records()}
        titles: dict[int, dict[str, None]] = defaultdict(dict)
        qualifiers = index.column("qualifier") if "qualifier" in index else [""] * len(index)
        index_soc, index_title = index.column("soc4"), index.column("title")
        for soc, title, qualifier in zip(index_soc, index_title, qualifiers, strict=True):
            # a qualified entry ("Cadet (nursing)") is only this job with its qualifier
            shown = f"{title} {qualifier}".strip() if str(qualifier or "").strip() else title
            titles[int(soc)].setdefault(str(shown), None)
        occupations = {}
        out = cls({})
        postings: dict[str, list[int]] = defaultdict(list)

        def add(soc: int, title: str, bonus: float) -> None:
            words = tokens(title)
            if not words:
                return
            entry = len(out.entry_soc)
            out.entry_soc.append(soc)
            out.entry_tokens.append(words)
            out.entry_bonus.append(bonus)
            for word in words:
                postings[word].append(entry)

        for soc, title in zip(units.column("soc4"), units.column("soc4_title"), strict=True):
            soc = int(soc)
            text = texts.get(soc, {})
            occupations[soc] = Occupation(
                soc,
                str(title),
                str(text.get("description", "") or ""),
                str(text.get("qualifications", "") or ""),
                _tasks(str(text.get("tasks", "") or "")),
                tuple(t for t in titles.get(soc, {}) if t.lower() != str(title).lower()),
            )
            add(soc, str(title), 6.0)  # the group's own title outranks an equal index title
        for soc, title, qualifier in zip(index_soc, index_title, qualifiers, strict=True):
            add(int(soc), str(title), -2.0 if str(qualifier or "").strip() else 0.0)
        out.occupations = occupations
        out.postings = dict(postings)
        out.vocabulary = sorted(postings)
        total = len(out.entry_soc) or 1
        out.idf = {w: math.log(total / len(p)) + 1.0 for w, p in postings.items()}
        return out

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[Occupation]:
        text = query.strip()
        if text.isascii() and text.isdigit() and int(text) in self.occupations:
            return [self.occupations[int(text)]]
        words = tokens(text)
        if not words:
            return []
        weights = [self.idf.get(w, math.log(len(self.entry_soc) + 1) + 1.0) for w in words]
        total = sum(weights)
        covered: dict[int, float] = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for position, (word, weight) in enumerate(zip(words, weights, strict=True)):
            hits = set(self.postings.get(word, ()))
            factor: dict[int, float] = dict.fromkeys(hits, 1.0)
            typing = word not in self.postings  # a complete word needs no prefix matches
            if position == len(words) - 1 and len(word) >= 3 and typing:
                start = bisect.bisect_left(self.vocabulary, word)
                for other in self.vocabulary[start : start + 200]:
                    if not other.startswith(word):
                        break
                    for entry in self.postings[other]:
                        factor.setdefault(entry, 0.8)
            for entry, f in factor.items():
                covered[entry] += weight * f
                matched[entry] += 1
        best: dict[int, tuple[float, int]] = {}
        for entry, weight in covered.items():
            entry_words = self.entry_tokens[entry]
            score = 100.0 * weight / total - 3.0 * (len(entry_words) - matched[entry])
            if entry_words == words:
                score += 30.0
            elif entry_words[: len(words)] == words:
                score += 10.0
            score += self.entry_bonus[entry]
            soc = self.entry_soc[entry]
            top, count = best.get(soc, (-math.inf, 0))
            best[soc] = (max(top, score), count + (weight >= total))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
        return [self.occupations[soc] for soc, _ in ranked[:limit] if soc in self.occupations]


def _tasks(text: str) -> str:
    """The original's format: each task starts with a space, ';' + newline between them."""
    parts = [p.strip().rstrip(".;") for p in re.split(r"[;\n]", text) if p.strip()]
    return (" " + ";\n ".join(parts) + ".") if parts else ""


_lock = threading.Lock()
_built: dict[Any, OccupationIndex] = {}


def occupation_index(served: Served) -> OccupationIndex:
    """The index for the served warehouse file, built on first use after each load."""
    key = served.identity
    found = _built.get(key)
    if found is not None:
        return found
    with _lock:
        if key not in _built:
            _built.clear()  # one vintage at a time
            _built[key] = _read(served)
        return _built[key]


def _read(served: Served) -> OccupationIndex:
    engine = served.engine
    dim = engine.model.cube("ashe_pay").dimension("occupation", "soc")
    units = engine.catalog.table(dim).first_per("soc4")
    frames = {}
    columns = {
        "soc_index": ("soc4", "title", "qualifier"),
        "soc_descriptions": ("soc4", "description", "qualifications", "tasks"),
    }
    with engine.warehouse.connect() as con:
        for table, cols in columns.items():
            rows = con.execute(sa.select(sa.table(table, *map(sa.column, cols)))).fetchall()
            frames[table] = DimTable(cols, tuple(tuple(r) for r in rows))
    return OccupationIndex.build(units, frames["soc_index"], frames["soc_descriptions"])
