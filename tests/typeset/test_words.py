"""Title word boundaries (jieba with the common-word dictionary), and its cheap start-up."""

from __future__ import annotations

import subprocess
import sys

from pipeline.typeset.words import word_boundaries, words


def test_a_title_is_cut_into_words() -> None:
    assert words("关于加强基层治理的若干意见") == ["关于", "加强", "基层", "治理", "的", "若干", "意见"]
    assert word_boundaries("基层治理") == {2}


def test_jieba_is_loaded_without_pkg_resources_which_stays_importable() -> None:
    # jieba imports pkg_resources (~0.1 s of a cold build) unless it is hidden; in a fresh
    # interpreter, cutting a title must not load it, and a later import must still work.
    program = (
        "import sys\n"
        "from pipeline.typeset.words import words\n"
        "words('基层治理')\n"
        "print('pkg_resources' in sys.modules)\n"
        "import pkg_resources\n"
        "print(pkg_resources.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "pkg_resources"]
