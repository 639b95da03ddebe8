"""Chinese text keys for search: pinyin and initials of names (pypinyin)."""

from __future__ import annotations

from pypinyin import lazy_pinyin

# Surnames whose reading differs from the character's common reading
# (单 is shàn, not dān, as a surname). Compound surnames come first.
SURNAME_READINGS = {
    "尉迟": ["yu", "chi"], "万俟": ["mo", "qi"], "长孙": ["zhang", "sun"], "澹台": ["tan", "tai"],
    "单": ["shan"], "曾": ["zeng"], "解": ["xie"], "仇": ["qiu"], "朴": ["piao"], "查": ["zha"],
    "区": ["ou"], "盖": ["ge"], "乐": ["yue"], "缪": ["miao"], "覃": ["qin"], "秘": ["bi"],
    "召": ["shao"], "翟": ["zhai"], "种": ["chong"], "折": ["she"], "员": ["yun"], "句": ["gou"],
    "繁": ["po"], "宿": ["su"], "沈": ["shen"], "薄": ["bo"], "都": ["du"], "藏": ["zang"],
    "尉": ["yu"], "蕃": ["pi"], "莘": ["shen"], "祭": ["zhai"], "黑": ["he"],
}  # fmt: skip


def name_syllables(name: str) -> list[str]:
    name = (name or "").strip()
    for surname in sorted(SURNAME_READINGS, key=len, reverse=True):
        if name.startswith(surname):
            rest = name[len(surname) :]
            return SURNAME_READINGS[surname] + (lazy_pinyin(rest, errors="ignore") if rest else [])
    return lazy_pinyin(name, errors="ignore")


def name_search_keys(name: str) -> tuple[str, str]:
    """("zhangsanfeng", "zsf") for 张三丰: what a worker types on a phone keyboard."""
    syllables = [s.lower() for s in name_syllables(name) if s.isascii() and s.isalpha()]
    return "".join(syllables), "".join(s[0] for s in syllables)
