"""Pinyin slugs: the readings a reader expects, ASCII, and the same as the registry's."""

import tomllib
from pathlib import Path

import pytest

from policysite.slugs import initials, slugify

from .conftest import CONTENT, LIBRARY


SLUG_TABLE = [
    ("人行太原中心支行", "ren-hang-tai-yuan-zhong-xin-zhi-hang"),  # 行 read háng, not xíng
    ("中国人民银行", "zhong-guo-ren-min-yin-hang"),
    ("长治市", "chang-zhi-shi"),  # the city, not zhǎng
    ("省环保厅", "sheng-huan-bao-ting"),
    ("旅游", "lv-you"),  # ü written v, as in ASCII pinyin
    ("强化节能减排目标责任", "qiang-hua-jie-neng-jian-pai-mu-biao-ze-ren"),
    ("健全节能减排统计、监测和考核体系。", "jian-quan-jie-neng-jian-pai-tong-ji-jian-ce-he-kao-he-ti-xi"),
    ("推进“7＋2”产业", "tui-jin-7-2-chan-ye"),
    ("控制50mg/Nm³以下", "kong-zhi-50mg-nm-yi-xia"),
    ("。、（）", ""),
]


@pytest.mark.parametrize("text, slug", SLUG_TABLE)
def test_slug_table(text, slug):
    assert slugify(text) == slug


def test_initials():
    assert initials("省环保厅") == "shbt"


def test_registry_slugs_are_the_pinyin_of_the_names():
    registry = tomllib.loads((CONTENT / "agencies.toml").read_text(encoding="utf-8"))
    assert {name: entry["slug"] for name, entry in registry.items()} == \
           {name: slugify(name) for name in registry}


def test_slugs_are_stable_between_calls():
    assert slugify("省住房城乡建设厅") == slugify("省住房城乡建设厅") == "sheng-zhu-fang-cheng-xiang-jian-she-ting"


READ_BESIDE = """
import os, signal, sys
from policysite import slugs
texts = {texts!r}
with slugs.pinyin_beside():
    slugs.prefetch(texts[:4])
    if {kill}:
        os.kill(slugs._helper.pid, signal.SIGKILL)
    print([slugs.slugify(t) for t in texts])
    print("pypinyin" in sys.modules)
"""


@pytest.mark.parametrize("kill", [False, True])
def test_slugs_read_in_a_helper_process_are_the_slugs_read_here(kill):
    """A build run from the command line reads pinyin in a helper process (slugs.pinyin_beside): the
    slugs are the same, whether prefetched or asked one by one, and where the helper dies they are read
    here instead."""
    import subprocess
    import sys

    texts = [text for text, _ in SLUG_TABLE]
    code = READ_BESIDE.format(texts=texts, kill=kill)
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).resolve().parent.parent).stdout.splitlines()
    assert lines[0] == repr([slug for _, slug in SLUG_TABLE])
    assert lines[1] == str(kill)  # pypinyin loaded in this process only where the helper died


def test_readings_are_pypinyins_own():
    """Reading remembers what each toned syllable becomes (slugs._pinyin): every character pypinyin
    knows, and every line of the content, reads as pypinyin's own lazy_pinyin reads it."""
    import re

    import pypinyin
    from pypinyin.constants import PINYIN_DICT

    from policysite.slugs import _read

    def pypinyins(text):
        items = pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors=lambda s: [s])
        return tuple(word for item in items for word in re.findall(r"[a-z0-9]+", item.lower()))

    texts = [chr(number) for number in PINYIN_DICT]
    texts += [line for path in LIBRARY.rglob("*.zh.txt")
              for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(texts) > 40000
    assert [text for text in texts if _read(text) != pypinyins(text)] == []
