"""Title word boundaries (jieba with the common-word dictionary), and its cheap start-up:
cuts kept in the cache folder by the dictionary they were made with."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.typeset import words as words_module
from pipeline.typeset.words import word_boundaries, words

TITLE = "关于加强基层治理的若干意见"


def fresh_process(program: str, cache: Path) -> list[str]:
    environment = {**os.environ, "BRIEFING_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, env=environment
    )
    return done.stdout.split()


def test_a_title_is_cut_into_words() -> None:
    assert words(TITLE) == ["关于", "加强", "基层", "治理", "的", "若干", "意见"]
    assert word_boundaries("基层治理") == {2}


def test_a_title_cut_before_is_cut_again_without_jieba_and_alike(tmp_path: Path) -> None:
    program = (
        "import sys\n"
        "from pipeline.typeset.words import words\n"
        f"print('/'.join(words({TITLE!r})))\n"
        "print('jieba' in sys.modules, 'pkg_resources' in sys.modules)\n"
        "import pkg_resources\n"  # hidden from jieba only: still importable after
        "print(pkg_resources.__name__)\n"
    )
    first = fresh_process(program, tmp_path)
    assert first == ["关于/加强/基层/治理/的/若干/意见", "True", "False", "pkg_resources"]
    assert list((tmp_path / "words").glob("cuts-*.marshal"))
    again = fresh_process(program, tmp_path)
    assert again == ["关于/加强/基层/治理/的/若干/意见", "False", "False", "pkg_resources"]


@pytest.fixture
def own_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny jieba dictionary of our own, and a cache folder no other test uses."""
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("基层 100 n\n治理 100 v\n", "utf-8")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(words_module, "_dictionary_path", lambda: dictionary)
    monkeypatch.setattr(words_module, "_kept_cuts", {})
    words_module._tokenizer.cache_clear()
    yield dictionary
    words_module._tokenizer.cache_clear()


def test_kept_cuts_are_not_used_once_the_dictionary_changes(own_dictionary: Path) -> None:
    assert words("基层治理") == ["基层", "治理"]
    own_dictionary.write_text("基层 100 n\n治理 100 v\n基层治理 100000 n\n", "utf-8")
    words_module._tokenizer.cache_clear()  # a new process would load the new dictionary
    words_module._kept_cuts.clear()
    assert words("基层治理") == ["基层治理"]


def test_a_damaged_or_foreign_cuts_file_is_cut_again(own_dictionary: Path) -> None:
    path = words_module._cuts_path(own_dictionary)
    path.parent.mkdir(parents=True)
    path.write_bytes(marshal.dumps({"基层治理": ("完全", "不同")}))  # words not of the title
    assert words("基层治理") == ["基层", "治理"]
    words_module._kept_cuts.clear()
    path.write_bytes(b"not marshal")
    assert words("基层治理") == ["基层", "治理"]


def test_at_most_so_many_cuts_are_kept(own_dictionary: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words_module, "MAX_KEPT_CUTS", 2)
    for title in ("基层", "治理", "基层治理"):
        words(title)
    kept = marshal.loads(words_module._cuts_path(own_dictionary).read_bytes())
    assert list(kept) == ["治理", "基层治理"]
