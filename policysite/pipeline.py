"""The build, stage by stage: read, parse, register, route, render, export, write."""

from __future__ import annotations

import hashlib
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import config_for_source, load_config, normalize_base_url
from .errors import BuildError, Problem, Problems
from .export import OpenData, library_files
from .glossary import load_glossary, load_library_glossary
from .i18n import Edition, load_strings
from .lineage import load_lineage
from .mdpages import load_pages
from .normalize import normalize, read_encoding
from .parse import parse
from .registry import load_agencies
from .pages import Page, build_pages
from .render import BackgroundRender, Renderer, SiteExtras, render_pages
from .library import (LibraryConfig, add_library_slugs, check_shared_lineages, citations, departments, library_pages,
                      load_library, summary, texts)
from .sitemap import robots_txt, sitemap_files
from .search import search_files
from .translations import load_translation, units
from .urls import DOCUMENT_KINDS, Route, Slugs, check_unique
from .write import Staging

ROOT = Path(__file__).resolve().parent.parent
SOURCE_LANGUAGE = "zh"


NO_BASE_URL = ("no base URL (base_url in site.toml, or --base-url): pages carry no canonical link or Open Graph "
               "URL, citations give paths on this site, and no sitemap.xml is written (sitemaps need absolute URLs)")


@dataclass
class BuildResult:
    """What a build did: pages written, the changes normalization made, warnings, time per stage."""

    pages: int = 0
    files: int = 0
    changes: dict[str, int] = field(default_factory=dict)  # over all documents
    reads: dict[str, tuple[str, dict]] = field(default_factory=dict)  # per document: (encoding, changes)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the build left out, and why (not a problem)
    coverage: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    peak_bytes: dict[str, int] = field(default_factory=dict)  # filled only while tracemalloc traces

    @contextmanager
    def stage(self, name: str):
        """Time a stage (and, when tracemalloc is tracing, record its peak memory)."""
        tracemalloc = sys.modules.get("tracemalloc")  # imported (and started) by the benchmark, if at all
        tracing = tracemalloc is not None and tracemalloc.is_tracing()
        if tracing:
            tracemalloc.reset_peak()
        start = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
        if tracing:
            self.peak_bytes[name] = tracemalloc.get_traced_memory()[1]


def fingerprinted(folder: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """Static files under static/, named with a hash of their content (style.css → style.1a2b3c4d.css)."""
    files, names = {}, {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        relative = path.relative_to(folder).as_posix()
        stem, dot, suffix = relative.rpartition(".")
        hashed = f"static/{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{suffix}" if dot else f"static/{relative}"
        files[hashed] = data
        names[f"static/{relative}"] = hashed
    return files, names


VENDOR = {
    "static/vendor/lunr.min.js": ("node_modules/lunr/lunr.min.js",
                                  "0c50d9002b85780a842afffb567bb54ede402dae7c6dc5997a018614d8044fc8"),
}
"""Browser libraries from npm (package.json pins them), copied into the site after a hash check."""


def vendor_files() -> tuple[dict[str, bytes], dict[str, str]]:
    """The vendored libraries, fingerprinted, after checking each against its pinned hash."""
    files, names = {}, {}
    for name, (source, expected) in VENDOR.items():
        path = ROOT / source
        if not path.is_file():
            raise BuildError(Problem(path, None, "missing: run `npm ci` to install the browser libraries"))
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != expected:
            raise BuildError(Problem(path, None, f"sha256 {digest} is not the pinned {expected}"))
        stem, _, suffix = name.rpartition(".")
        files[f"{stem}.{digest[:10]}.{suffix}"] = data
        names[name] = f"{stem}.{digest[:10]}.{suffix}"
    return files, names


@dataclass(frozen=True)
class Site:
    """Everything gathered and checked before anything is rendered: a renderer per document (and, in a
    library, one for the library's own pages), and the pages each renders."""

    renderers: list  # (renderer, pages) pairs; the first renders the site's root and 404 pages
    slugs: Slugs
    files: dict = field(default_factory=dict)  # a library's own open data, by path under the site root
    departments: tuple = ()  # a library's departments

    @property
    def pages(self) -> list:
        return [page for _, pages in self.renderers for page in pages]

    @property
    def renderer(self) -> Renderer:
        return self.renderers[0][0]


def gather(content: Path | None, result: BuildResult, *, templates: Path = ROOT / "templates",
           strict: bool = False, base_url: str | None = None, source: Path | None = None) -> Site:
    """Read and check every input: config, source, registry, glossary, pages, strings, translations.

    With source (and no content folder), the site is built from that text alone. A content folder
    that holds a library gives a renderer per document and one for the library's own pages.
    """
    library = load_library(content) if source is None and content is not None else None
    slugs, assets = Slugs(), {}
    if library is None:
        config = config_for_source(source) if source is not None else load_config(content)
        renderer, pages = gather_document(config, result, templates, strict, base_url, slugs, assets)
        return Site([(renderer, pages)], slugs)
    documents = []
    for doc, folder in library.documents:
        config = load_config(folder, library.toml, doc)
        documents.append(gather_document(config, result, templates, strict, base_url, slugs, assets,
                                         prefix=f"documents/{doc}/", library=library))
    return library_site(library, documents, result, templates, slugs, assets)


def gather_document(config, result: BuildResult, templates: Path, strict: bool, base_url: str | None,
                    slugs: Slugs, assets: dict, prefix: str = "", library: LibraryConfig | None = None):
    """One document's renderer and pages: its text read and parsed, its agencies registered, its slugs
    added (its pages under prefix), its glossary, pages and translations read."""
    problems = Problems()
    if base_url is not None:
        config = replace(config, base_url=normalize_base_url(base_url, "--base-url"))
    raw, encoding = read_encoding(config.source, _read(config.source))
    text = normalize(config.source, raw)
    for rule, count in text.changes.items():
        result.changes[rule] = result.changes.get(rule, 0) + count
    result.reads[config.doc] = (encoding, dict(text.changes))
    document = parse(config.source, text.lines, problems.warnings)
    if not config.title:
        config = replace(config, title=document.meta.title or config.source.stem)
    agencies = load_agencies(document, config.source, config.registry, problems, strict)
    lineage = load_lineage(config.lineage, agencies, problems, config.shared_lineage)
    slugs.add_document(document, agencies, str(config.source), str(config.registry or config.source),
                       config.doc, prefix)
    folder = config.content_dir
    own_glossary = folder and (library is None or library.glossary is None)  # else the library's is the one
    glossary = load_glossary(folder / "glossary.toml", document) if own_glossary else ()
    markdown_pages = load_pages(folder / "pages", config.languages) if folder and library is None else ()
    pages = [replace(page, route=replace(page.route, doc=config.doc)) if page.route.kind in DOCUMENT_KINDS
             else page for page in build_pages(document, agencies, glossary, markdown_pages)]
    check_unique([p.route for p in pages], SOURCE_LANGUAGE, slugs)
    strings = load_strings(templates / "strings.toml", config.languages)
    all_units = units(document, config.title, agencies)
    editions = []
    for lang in config.languages:
        translation = None
        if lang != SOURCE_LANGUAGE:
            translations = folder / "translations" / lang if folder else None
            translation = load_translation(translations, lang, all_units, problems, strict, lang in config.partial)
            done = translation.total - len(translation.missing) - len(translation.stale)
            result.coverage[f"{config.doc} {lang}".strip()] = (
                f"{config.doc + ': ' if config.doc else ''}{lang}: {done}/{translation.total} entries translated, "
                f"{len(translation.stale)} stale")
        editions.append(Edition(lang, strings[lang], translation))
    problems.raise_if_any()
    result.warnings.extend(problems.warnings)
    renderer = Renderer(templates, config, document, agencies, slugs, editions, assets,
                        SiteExtras(glossary, markdown_pages, dict(text.changes), lineage), prefix=prefix,
                        library=library)
    return renderer, pages


def library_site(library: LibraryConfig, documents: list, result: BuildResult, templates: Path,
                 slugs: Slugs, assets: dict) -> Site:
    """The library's own renderer and pages (home, governments, years, departments), after its documents'."""
    first = documents[0][0]
    check_shared_lineages(documents)
    found = departments([(r.config, r.document, r.agencies) for r, _ in documents], library.governments,
                        {(r.config.government, name): line for r, _ in documents
                         for name, line in r.extras.lineage.items()})
    add_library_slugs(slugs, library, found)
    config = replace(first.config, doc="", title=library.titles.get(SOURCE_LANGUAGE, ""),
                     short_titles=dict(library.titles), facts=None, cites=())
    markdown_pages = load_pages(library.toml.path.parent / "pages", config.languages)
    summaries = [summary(renderer, library.governments) for renderer, _ in documents]
    terms = load_library_glossary(library.glossary, [(r.config.doc, r.document) for r, _ in documents]) \
        if library.glossary else ()
    pages = library_pages(library, summaries, found, markdown_pages, texts(documents), terms)
    check_unique([p.route for _, ps in documents for p in ps] + [p.route for p in pages], SOURCE_LANGUAGE, slugs)
    renderer = Renderer(templates, config, None, {}, slugs, first.editions, assets,
                        SiteExtras((), markdown_pages, result.changes), library=library)
    cited = citations(summaries)
    for document_renderer, _ in documents:  # the library's pages, citations and glossary reach its documents
        doc, extras = document_renderer.config.doc, document_renderer.extras
        glossary = tuple(t for t in terms if doc in dict(t.uses)) if library.glossary else extras.glossary
        document_renderer.extras = replace(extras, markdown_pages=markdown_pages, citations=cited[doc],
                                           glossary=glossary)
    return Site([(renderer, pages), *documents], slugs,
                library_files(library, documents, summaries, found, cited, slugs), tuple(found))


def build(content: Path | None, out: Path, *, templates: Path = ROOT / "templates",
          static: Path = ROOT / "static", strict: bool = False, base_url: str | None = None,
          source: Path | None = None) -> BuildResult:
    """Build the site for the content folder into out; raise BuildError, leaving out untouched, on failure."""
    result = BuildResult()
    with result.stage("parse"):
        site = gather(content, result, templates=templates, strict=strict, base_url=base_url, source=source)
        renderer = site.renderer
    try:
        with Staging(out) as staging:
            with result.stage("render"):  # pages render (and are written) in other processes meanwhile
                files = asset_files(renderer, static)
                late = [(r, [p for p in ps if p.route.kind == "search"]) for r, ps in site.renderers]  # they name
                early = [(r, [p for p in ps if p.route.kind != "search"]) for r, ps in site.renderers]  # the indexes
                rendering = BackgroundRender(early, staging)
                try:
                    with result.stage("index"):
                        for document_renderer, _ in site.renderers:
                            if document_renderer.document is not None:
                                files.update(open_data_files(document_renderer))
                        search, head, shards = search_files(site, [e.lang for e in renderer.editions])
                        files.update(search)
                        renderer.assets["search/head.js"] = head
                        renderer.assets["search/shards"] = str(shards)  # not a file: named beside the head
                    pages = {}
                    for late_renderer, late_pages in late:
                        pages.update(render_pages(late_renderer, late_pages))
                    root = Page(Route("root"), "root.html")
                    pages["index.html"] = renderer.render(root, renderer.editions[0])
                    pages["404.html"] = renderer.render(Page(root.route, "404.html"), renderer.editions[0])
                    files.update(site.files)
                    files.update(sitemap_files(renderer, site.pages))
                    if not renderer.config.base_url:
                        result.notes.append(NO_BASE_URL)
                    files["robots.txt"] = robots_txt(renderer)
                    written = rendering.result()
                finally:
                    rendering.close()
            with result.stage("write"):
                files.update(pages)
                result.pages = written + len(pages)
                result.files = written + staging.write(files)
                staging.commit()
    except OSError as exc:  # no space left, no permission, …: the output folder stays as it was
        raise BuildError(Problem(exc.filename or out, None, exc.strerror or str(exc))) from None
    return result


def asset_files(renderer: Renderer, static: Path) -> dict[str, str | bytes]:
    """Static files and vendored libraries, their fingerprinted names put in renderer.assets."""
    files, assets = fingerprinted(static)
    vendored, vendor_names = vendor_files()
    files.update(vendored)
    renderer.assets.update(assets, **vendor_names)
    return files


def open_data_files(renderer: Renderer) -> dict[str, str]:
    """A document's open data, under data/ (in a library, under its folder there)."""
    return {f"data/{renderer.prefix}{name.removeprefix('data/')}": data
            for name, data in OpenData(renderer).files().items()}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BuildError(Problem(path, None, f"cannot read the source text: {exc.strerror}")) from None
