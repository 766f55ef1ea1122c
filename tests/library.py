"""A library made for the tests from the shipped document and real documents of the corpus.

Shanxi (with its registry, lineage, glossary and English), the State Council General Office's
2013 and 2016 documents (one government, two documents: their agencies meet on department pages),
and Guangzhou 2012 (no registry: its agencies are registered automatically).
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from .conftest import CONTENT
from .corpus import REAL, header

SHANXI = "shanxi-2012-energy-saving-division"
CORPUS_DOCUMENTS = {  # id → (corpus file, government, year)
    "state-council-2013-coal-industry": ("national-gov-office-2013-coal-industry-opinions", "state-council", 2013),
    "state-council-2016-quantified-targets": ("national-gov-office-2016-work-report-quantified-targets",
                                              "state-council", 2016),
    "guangzhou-2012-talent-cluster": ("city-guangzhou-2012-talent-cluster-project", "guangzhou", 2012),
}

SITE_TOML = '''[library]
title.zh = "政府部门分工文件库"
title.en = "A Library of Government Divisions of Responsibility"

[site]
languages = ["zh", "en"]

[governments.state-council]
zh = "国务院办公厅"
en = "General Office of the State Council"
level = "national"

[governments.shanxi]
zh = "山西省"
en = "Shanxi Province"
level = "province"
registry = "registries/shanxi.toml"
lineage = "registries/shanxi-lineage.toml"

[governments.guangzhou]
zh = "广州市"
en = "Guangzhou City"
level = "city"
'''


def make_library(folder: Path) -> Path:
    """Write the test library into folder; returns it."""
    (folder / "registries").mkdir(parents=True)
    (folder / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    shutil.copy(CONTENT / "agencies.toml", folder / "registries" / "shanxi.toml")
    shutil.copy(CONTENT / "lineage.toml", folder / "registries" / "shanxi-lineage.toml")
    (folder / "pages").mkdir()
    for page in CONTENT.glob("pages/about.*.md"):  # the open-data page describes one document's files
        shutil.copy(page, folder / "pages")
    shanxi = folder / "documents" / SHANXI
    shutil.copytree(CONTENT / "translations", shanxi / "translations")
    shutil.copy(CONTENT / "glossary.toml", shanxi)
    site = (CONTENT / "site.toml").read_text(encoding="utf-8")
    document = site[:site.index("[site]")].replace("[document]\n", "[document]\ngovernment = \"shanxi\"\nyear = 2012\n", 1)
    (shanxi / "document.toml").write_text(document, encoding="utf-8")
    source = tomllib.loads(site)["document"]["source"]
    shutil.copy(CONTENT / source, shanxi / source)
    for doc, (name, government, year) in CORPUS_DOCUMENTS.items():
        where = folder / "documents" / doc
        where.mkdir(parents=True)
        shutil.copy(REAL / f"{name}.zh.txt", where / "source.zh.txt")
        title = header(name)["title"]
        (where / "document.toml").write_text(f'[document]\nsource = "source.zh.txt"\ntitle = "{title}"\n'
                                             f'government = "{government}"\nyear = {year}\n', encoding="utf-8")
    return folder
