"""The build, stage by stage: read, parse, register, route, render, export, write."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .assets import STATIC, asset_files
from .cache import BuildCache, build_inputs, generator_version, memo_file, results_kept
from .config import config_for_source, load_config, normalize_base_url
from .errors import BuildError, Problem, Problems
from .export import OpenData, library_files
from .glossary import load_glossary, load_library_glossary
from .i18n import Edition, load_strings
from .lineage import load_lineage
from .mdpages import load_pages
from .normalize import normalize, read_encoding
from .parse import parse
from .plan import Job, Plan
from .reads import RecordedDict
from .registry import load_agencies
from .result import BuildResult
from .pages import Page, build_pages
from .render import CompiledBeside, Renderer, RenderPool, SiteExtras, compiled_beside, environment, run_job
from .library import (LibraryConfig, add_library_slugs, check_shared_lineages, citations, departments, library_pages,
                      load_library, summary, texts)
from .sitemap import robots_txt, sitemap_files
from .terms import glossary_rules
from .search import items_digest, pinyin_wanted, prefetch_pinyin, search_files, site_items, tokens_remembered
from .slugs import collect_prefetched, prefetch, readings_kept
from .translations import load_translation, units
from .urls import DOCUMENT_KINDS, Route, Slugs, check_unique
from .workers import Workers, map_in_workers, worker_count
from .write import Staging

ROOT = Path(__file__).resolve().parent.parent
SOURCE_LANGUAGE = "zh"


NO_BASE_URL = ("no base URL (base_url in site.toml, or --base-url): pages carry no canonical link or Open Graph "
               "URL, citations give paths on this site, and no sitemap.xml is written (sitemaps need absolute URLs)")


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
           strict: bool = False, base_url: str | None = None, source: Path | None = None,
           bytecode: Path | jinja2.BytecodeCache | None = None) -> Site:
    """Read and check every input: config, source, registry, glossary, pages, strings, translations.

    With source (and no content folder), the site is built from that text alone. A content folder
    that holds a library gives a renderer per document (read side by side on all cores) and one for
    the library's own pages.
    """
    library = load_library(content) if source is None and content is not None else None
    slugs, assets, env = Slugs(), RecordedDict(), environment(templates, bytecode)  # shared by the site's renderers
    if library is None:
        config = config_for_source(source) if source is not None else load_config(content)
        read = read_document(config, templates, strict, base_url)
        return Site([join_document(read, result, templates, slugs, assets, env)], slugs)
    configs = [(load_config(folder, library.toml, doc), f"documents/{doc}/") for doc, folder in library.documents]
    reads = map_in_workers(read_document, [(config, templates, strict, base_url, prefix, library)
                                           for config, prefix in configs])
    documents = [join_document(read, result, templates, slugs, assets, env) for read in reads]
    return library_site(library, documents, result, templates, slugs, assets, env, strict)


@dataclass
class DocumentRead:
    """A document as read on its own (in any process): everything but what joins it to the site."""

    config: object
    encoding: str
    changes: dict
    document: object
    agencies: dict
    lineage: dict
    slugs: Slugs  # its own: merged into the site's
    pages: list
    editions: list
    extras: SiteExtras
    coverage: dict
    warnings: list
    prefix: str = ""
    library: LibraryConfig | None = None


def read_document(config, templates: Path, strict: bool, base_url: str | None, prefix: str = "",
                  library: LibraryConfig | None = None) -> DocumentRead:
    """One document read, parsed and checked: its agencies registered, its slugs made (its pages under
    prefix), its glossary, pages and translations read."""
    problems = Problems()
    if base_url is not None:
        config = replace(config, base_url=normalize_base_url(base_url, "--base-url"))
    raw, encoding = read_encoding(config.source, _read(config.source))
    text = normalize(config.source, raw)
    document = parse(config.source, text.lines, problems.warnings)
    for texts in pinyin_wanted(document):
        prefetch(texts)
    if not config.title:
        config = replace(config, title=document.meta.title or config.source.stem)
    agencies = load_agencies(document, config.source, config.registry, problems, strict)
    lineage = load_lineage(config.lineage, agencies, problems, config.shared_lineage)
    folder = config.content_dir
    markdown_pages = load_pages(folder / "pages", config.languages) if folder and library is None else ()
    strings = load_strings(templates / "strings.toml", config.languages)
    all_units = units(document, config.title, agencies)
    rules = glossary_rules(folder, library)
    editions, coverage = [], {}
    for lang in config.languages:
        translation = None
        if lang != SOURCE_LANGUAGE:
            translations = folder / "translations" / lang if folder else None
            translation = load_translation(translations, lang, all_units, problems, strict, lang in config.partial,
                                           rules if lang == "en" else ())  # the glossary gives English renderings
            done = translation.total - len(translation.missing) - len(translation.stale)
            coverage[f"{config.doc} {lang}".strip()] = (
                f"{config.doc + ': ' if config.doc else ''}{lang}: {done}/{translation.total} entries translated, "
                f"{len(translation.stale)} stale")
        editions.append(Edition(lang, strings[lang], translation))
    # what needs pinyin comes last: pypinyin may still be loading beside this (slugs.pinyin_beside)
    slugs = Slugs(document, agencies, str(config.source), str(config.registry or config.source), config.doc, prefix)
    own_glossary = folder and not (library and library.glossary)  # else the library's is the one
    glossary = load_glossary(folder / "glossary.toml", document) if own_glossary else ()
    pages = [replace(page, route=replace(page.route, doc=config.doc)) if page.route.kind in DOCUMENT_KINDS
             else page for page in build_pages(document, agencies, glossary, markdown_pages)]
    check_unique([p.route for p in pages], SOURCE_LANGUAGE, slugs)
    problems.raise_if_any()
    return DocumentRead(config, encoding, dict(text.changes), document, agencies, lineage, slugs, pages, editions,
                        SiteExtras(glossary, markdown_pages, dict(text.changes), lineage), coverage,
                        problems.warnings, prefix, library)


def join_document(read: DocumentRead, result: BuildResult, templates: Path, slugs: Slugs, assets: dict, env) -> tuple:
    """A document read joined to the site: its report in the result, its slugs in the site's; its renderer
    and pages."""
    for rule, count in read.changes.items():
        result.changes[rule] = result.changes.get(rule, 0) + count
    result.reads[read.config.doc] = (read.encoding, read.changes)
    result.coverage.update(read.coverage)
    result.warnings.extend(read.warnings)
    slugs.update(read.slugs)
    renderer = Renderer(templates, read.config, read.document, read.agencies, slugs, read.editions, assets,
                        read.extras, prefix=read.prefix, library=read.library, env=env)
    return renderer, read.pages


def library_site(library: LibraryConfig, documents: list, result: BuildResult, templates: Path,
                 slugs: Slugs, assets: dict, env=None, strict: bool = False) -> Site:
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
    terms, warnings = load_library_glossary(library.glossary, [(r.config.doc, r.document) for r, _ in documents],
                                            strict) if library.glossary else ((), [])
    result.warnings.extend(warnings)
    pages = library_pages(library, summaries, found, markdown_pages, texts(documents), terms)
    check_unique([p.route for _, ps in documents for p in ps] + [p.route for p in pages], SOURCE_LANGUAGE, slugs)
    renderer = Renderer(templates, config, None, {}, slugs, first.editions, assets,
                        SiteExtras((), markdown_pages, result.changes), library=library, env=env)
    cited = citations(summaries)
    for document_renderer, _ in documents:  # the library's pages, citations and glossary reach its documents
        doc, extras = document_renderer.config.doc, document_renderer.extras
        glossary = tuple(t for t in terms if doc in dict(t.uses)) if library.glossary else extras.glossary
        document_renderer.extras = replace(extras, markdown_pages=markdown_pages, citations=cited[doc],
                                           glossary=glossary)
    return Site([(renderer, pages), *documents], slugs,
                library_files(library, documents, summaries, found, cited, slugs), tuple(found))


def build(content: Path | None, out: Path, *, templates: Path = ROOT / "templates",
          static: Path = STATIC, strict: bool = False, base_url: str | None = None,
          source: Path | None = None, cache: BuildCache | None = None, inputs: str | None = None,
          helpers: bool = False) -> BuildResult:
    """Build the site for the content folder into out; raise BuildError, leaving out untouched, on failure.

    With a cache (cache.py), a build whose inputs are all as they were last time changes nothing, and
    any other keeps the pages and search files whose inputs did not change (linked from the last site).
    inputs: the inputs' digest (cache.build_inputs), where the caller has made it already. helpers (the
    command line's builds): without a cache, the templates are compiled in a helper process meanwhile.
    """
    if cache is not None:
        inputs = inputs or build_inputs(content or source, templates, static, strict, base_url)
        report = cache.unchanged(inputs)
        if report is not None:
            return BuildResult.replay(report)
    result = BuildResult()
    compiled = cache.compiled if cache is not None else compiled_beside(templates) if helpers else None
    readings = cache.memo("pinyin") if cache is not None else None
    made = cache.memo("files") if cache is not None else None  # what was made of input files
    try:
        with readings_kept(readings), results_kept(made):
            with result.stage("parse"):
                site = gather(content, result, templates=templates, strict=strict, base_url=base_url,
                              source=source, bytecode=compiled)
            return write_site(site, out, result, static, cache, inputs, {"pinyin": readings, "files": made})
    finally:
        if isinstance(compiled, CompiledBeside):
            compiled.close()


def write_site(site: Site, out: Path, result: BuildResult, static: Path, cache: BuildCache | None,
               inputs: str | None, memos=None) -> BuildResult:
    """Render the site's pages, make its search index and data files, and swap them in for out (memos: by
    name, those to keep in the cache with the rest: the pinyin read, what was made of input files)."""
    prefetch_pinyin(site)  # read beside while the templates compile
    retired = cache.retired if cache is not None else None  # the site the output replaces: made into the new one
    try:
        with Staging(out, retired) as staging:
            with result.stage("render"):  # pages render (and are written) in other processes meanwhile
                plan, rendered, read, files, search = render_site(site, static, cache, staging, result)
            with result.stage("write"):
                result.pages = len(plan.jobs)
                result.rendered = len(rendered)
                staging.write(files)
                paths = {job.path for job in plan.jobs} | set(files) | set(search["files"])  # the site's files
                staging.prune(paths)
                result.files = len(paths)
                if cache is not None:
                    save_cache(cache, inputs, result, plan, read, search, staging.root, paths, memos)
                staging.commit(retired)
    except OSError as exc:  # no space left, no permission, …: the output folder stays as it was
        raise BuildError(Problem(exc.filename or out, None, exc.strerror or str(exc))) from None
    return result


def render_site(site: Site, static: Path, cache: BuildCache | None, staging: Staging, result: BuildResult) -> tuple:
    """The plan's pages rendered, or kept, into the staging folder, and the site's other files: (the plan,
    the jobs rendered, what each page read, the files to write, the search stage's result). With a
    cache, the search index is made in another process while this one plans what to keep."""
    renderer, searching, rendering = site.renderer, None, None
    if cache is not None and worker_count(1):
        collect_prefetched()  # the pinyin it needs read first: a process forked from this one cannot ask
        searching = Workers(_search_apart, [(site, cache, staging)], 1)
    try:
        files = asset_files(renderer, static)
        root = Page(Route("root"), "root.html")
        plan = Plan(site, generator_version(), {"index.html": root, "404.html": Page(root.route, "404.html")},
                    cache.memo("templates") if cache is not None else None, keyed=cache is not None)
        late = [job for job in plan.jobs if job.page.route.kind in ("search", "root")]  # they name
        early = [job for job in plan.jobs if job.page.route.kind not in ("search", "root")]  # the index
        rendered = keep(plan, early, cache)
        names = plan.ids if cache is not None else None  # what pages read matters to a cache only
        rendering = RenderPool(early, staging, names)  # the kept pages are linked there too
        with result.stage("index"):
            for document_renderer, _ in site.renderers:
                if document_renderer.document is not None:
                    files.update(open_data_files(document_renderer))
            read = rendering.result() if searching else {}  # this process's part first, while the search runs
            search = searching.results()[0] if searching else search_stage(site, cache, staging)
            files.update(search["made"])
            renderer.assets["search/head.js"] = search["head"]
            renderer.assets["search/shards"] = str(search["shards"])  # not a file: named beside the head
        rendered += keep(plan, late, cache)
        read.update({job.path: run_job(job, staging, names) for job in late})
        files.update(site.files)
        files.update(sitemap_files(renderer, site.pages))
        if not renderer.config.base_url:
            result.notes.append(NO_BASE_URL)
        files["robots.txt"] = robots_txt(renderer)
        if not searching:
            read.update(rendering.result())
        return plan, rendered, read, files, search
    finally:
        for pool in (rendering, searching):
            if pool is not None:
                pool.close()


def save_cache(cache: BuildCache, inputs: str, result: BuildResult, plan: Plan, read: dict, search: dict,
               site: Path, paths: set[str], memos=None) -> None:
    """Record, for later builds, the site just made (in its staging folder, just before it is swapped in:
    a build stopped after this, before the swap, leaves a record that the old site's files do not match);
    a cache that cannot be written is a note, not a failure."""
    try:
        if search.get("memo") is not None:
            cache.save_memo("search", search["memo"])
        for name, memo in (memos or {}).items():
            cache.save_memo(name, memo)
        if plan.templates.memo is not None:
            cache.save_memo("templates", plan.templates.memo)
        if plan.jobs and plan.jobs[0].renderer.env.bytecode_cache is not None:
            plan.jobs[0].renderer.env.bytecode_cache.save()
        pages = {job.path: [job.key, read[job.path]] for job in plan.jobs}
        cache.save(inputs, result.report(), pages, {k: search[k] for k in ("key", "head", "shards", "files")},
                   site, paths)
    except OSError as exc:
        result.notes.append(f"the build cache was not saved ({exc.filename or cache.folder}: {exc.strerror}); "
                            f"the next build starts anew")


def keep(plan: Plan, jobs: list[Job], cache: BuildCache | None) -> list[Job]:
    """Mark the jobs whose pages the cache lets the build keep (linked from the last site when they run);
    returns the jobs left to render."""
    left, out = [], str(cache.out) if cache is not None else ""
    for job in jobs:
        entry = cache.page(job.path) if cache is not None else None
        if entry is not None and plan.unchanged(job, entry):
            job.kept, job.existing = entry[1], os.path.join(out, job.path)
        else:
            left.append(job)
    return left


def search_stage(site: Site, cache: BuildCache | None, staging: Staging) -> dict:
    """The search files: the last build's, linked, where the items searched are all as they were; else made
    anew (made: path → text, to write), with the memo of tokens to keep.
    Returns {"key", "head", "shards", "files", "made", "memo"}."""
    memo = cache.memo("search") if cache is not None else None
    languages = [e.lang for e in site.renderer.editions]
    with tokens_remembered(site, memo):
        items, facets = site_items(site)
        key = items_digest(items, facets, languages) if cache is not None else None
        last = cache.search(key) if cache is not None else None
        if last is not None:
            for path in last["files"]:
                staging.link(path, cache.out / path)
            return {**last, "made": {}, "memo": None}  # (the fields' terms were not read: nothing to keep)
        made, head, shards = search_files(items, facets, languages)
    return {"key": key, "head": head, "shards": shards, "files": sorted(made), "made": made, "memo": memo}


def _search_apart(site: Site, cache: BuildCache, staging: Staging) -> dict:
    """search_stage in a worker process, which also writes the files it made into the staging folder: it
    hands back their names alone, and its memo as the bytes of its file (saved with the build's record,
    if the build succeeds: a failed build leaves the cache as it was)."""
    search = search_stage(site, cache, staging)
    staging.write(search["made"])
    return {**search, "made": {}, "memo": memo_file(search["memo"]) if search["memo"] is not None else None}


def open_data_files(renderer: Renderer) -> dict[str, str]:
    """A document's open data, under data/ (in a library, under its folder there)."""
    return {f"data/{renderer.prefix}{name.removeprefix('data/')}": data
            for name, data in OpenData(renderer).files().items()}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BuildError(Problem(path, None, f"cannot read the source text: {exc.strerror}")) from None
