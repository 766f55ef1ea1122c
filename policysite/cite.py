"""How a page of a document is cited: in Chinese after GB/T 7714-2015 (an online resource, [EB/OL]),
and in English, each with the page's address in its own edition and, for a translation, its version."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """What a citation names: the document, the part of it a page shows, who issued it and when."""

    title_zh: str
    title_en: str  # "" where the document has no English title
    issuer_zh: str  # "" where unknown
    issuer_en: str
    number: str  # the document number (文号), "" where unknown
    date: str  # YYYY-MM-DD or "", the date the document was issued
    part_zh: str = ""  # 第67项, （二十）…; "" for the whole document
    part_en: str = ""


def known(config, meta) -> Source:
    """What is known of a document (config: its SiteConfig, meta: its text's Meta): the facts research
    found, else what its own text says; no English title and no part yet."""
    facts = config.facts
    return Source(title_zh=config.title, title_en="",
                  issuer_zh=(facts.issuer if facts else "") or meta.signature,
                  issuer_en=facts.issuer_en if facts and facts.issuer else "",
                  number=(facts.document_number if facts else "") or meta.document_number,
                  date=(facts.date if facts else "") or meta.date)


def gbt7714(source: Source, url: str) -> str:
    """主要责任者. 题名：其他题名信息[EB/OL]. (发布日期). 获取和访问路径. — 佚名 where nobody is known to have
    issued it (GB/T 7714-2015, 8.1.2)."""
    title = "：".join(p for p in (source.title_zh, source.number, source.part_zh) if p)
    parts = [f"{source.issuer_zh or '佚名'}. {title}[EB/OL]."]
    if source.date:
        parts.append(f"({source.date}).")
    parts.append(f"{url}.")
    return " ".join(parts)


def english(source: Source, url: str, version: str = "") -> str:
    """Issuer. English title [Chinese title], number, part. Date. Unofficial English translation, version V. URL."""
    head = f"{source.issuer_en}. " if source.issuer_en else ""
    title = f"{source.title_en} [{source.title_zh}]" if source.title_en else source.title_zh
    parts = [head + ", ".join(p for p in (title, source.number, source.part_en) if p) + "."]
    if source.date:
        parts.append(f"{source.date}.")
    if version:
        parts.append(f"Unofficial English translation, version {version}.")
    parts.append(f"{url}.")
    return " ".join(parts)
