"""Stage 6: render every page of every edition through Jinja2, with a small explicit context."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import types
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import jinja2
import jinja2.bccache
import jinja2.runtime
from markupsafe import Markup, escape

from .cite import Source, english, gbt7714, known
from .config import SiteConfig
from .errors import BuildError, Problem
from .glossary import Term, by_letter
from .i18n import Edition, tag_chinese_html
from .library import number_key, summary
from .lineage import Lineage
from .mdpages import MarkdownPage
from .normalize import TABLE as NORMALIZATION_TABLE
from .model import Agency, Chapter, Document, Paragraph, Section, Task
from .graph import collaboration_svg
from .pages import Page, heat, route_of
from .numbering import chinese_numeral
from .urls import DOCUMENT_KINDS, Route, Slugs, links_from
from .reads import RecordedDict, named_reads, recording
from .translations import units
from .workers import Helper, Workers, worker_count
from .write import Staging


CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
"""Every page carries this policy: no inline script or style, nothing from elsewhere."""

NOT_FOUND_BASE = ("(function () { var m = location.pathname.match(/^(.*?\\/)(?:zh|en|data|search|static)\\//);"
                  " if (!m) return; var base = document.createElement('base'); base.href = m[1];"
                  " document.head.appendChild(base); })();")
"""The 404 page of a site whose address is unknown is served at any depth: this script, run before
its links and stylesheet, points them at the site's root, found as the part of the address before
the first of the site's top folders (zh/, en/, …). Where there is none the page stands at the root
itself (opened as 404.html, or from disk), and its relative links hold as they are."""

NOT_FOUND_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'sha256-{}'").replace(
    "base-uri 'none'", "base-uri 'self'").format(base64.b64encode(hashlib.sha256(NOT_FOUND_BASE.encode()).digest()).decode())
"""The 404 page's policy when it carries that script: the script allowed by its hash, and its <base>."""


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled by Jinja2, kept in a folder from build to build (each checked against its
    template's source as it is loaded; one that cannot be read is compiled again). What a build
    compiles is written there only by save(), once the build has succeeded."""

    def __init__(self, folder: Path):
        self.folder, self.compiled = folder, {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self.folder / f"{bucket.key}.cache", "rb") as file:
                bucket.load_bytecode(file)
        except Exception:  # missing, unreadable, corrupt: compiled anew
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        self.compiled[bucket.key] = buffer.getvalue()

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for key, data in self.compiled.items():
            temporary = self.folder / f".new-{os.getpid()}-{key}"
            temporary.write_bytes(data)
            os.replace(temporary, self.folder / f"{key}.cache")
        self.compiled = {}


class CompiledBeside(jinja2.BytecodeCache):
    """Templates compiled in a helper process while the build reads its inputs (where it has no folder of
    compiled templates to load them from): every template of the folder, compiled there as Jinja2
    compiles them, handed back as its bytecode when the first is loaded (each checked against its
    template's source as it is loaded, as CompiledTemplates' are)."""

    def __init__(self, templates: Path):
        self.helper, self.compiled = Helper(_compile_all), None
        self.helper.submit(str(templates))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self.compiled is None:
            try:
                self.compiled = self.helper.answer()
            except Exception:  # the helper ended, or could not compile one: compiled here, as they are loaded
                self.compiled = {}
            finally:
                self.helper.close()
        if bucket.key in self.compiled:
            bucket.load_bytecode(io.BytesIO(self.compiled[bucket.key]))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        pass

    def close(self) -> None:
        self.helper.close()


def _compile_all(templates: str) -> dict[str, bytes]:
    """In a helper: every template of the folder compiled, as Jinja2's bytecode by its cache key."""
    compiled = CompiledTemplates(Path(templates))  # never saved: what it compiles is handed back
    env = environment(Path(templates), compiled)
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        env.get_template(name)
    return compiled.compiled


def compiled_beside(templates: Path) -> CompiledBeside | None:
    """The templates compiled in a helper process (CompiledBeside), where there is another core."""
    return CompiledBeside(templates) if worker_count(1) else None


class _Context(jinja2.runtime.Context):
    """Jinja2's context, calling the macros and plain functions the templates call without first looking
    on each for the marks of pass_context and the like, as Context.call does on every call (for a macro,
    three failed attribute lookups). Rendering Shanxi's 959 pages: 0.88 → 0.77 s of CPU."""

    def call(__self, __obj, *args, **kwargs):  # named as in Context.call: a template's call may pass self=
        kind = type(__obj)
        if kind is jinja2.runtime.Macro or (kind in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg")):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Context.call answers it
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


_PLAIN_CALLABLES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType)
"""Functions and methods: marked, if at all, on themselves (a class or other callable object goes the
long way, through Context.call)."""


class _Environment(jinja2.Environment):
    context_class = _Context


def environment(templates: Path, bytecode: Path | jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja2 environment that escapes HTML and refuses undefined names; with bytecode, a folder where
    it keeps templates compiled from build to build (CompiledTemplates), or another bytecode cache.
    Templates are not looked at again once loaded: none changes during a build. Jinja2's optimizer, which
    folds constant expressions as a template is compiled, is off: it made compiling the templates a tenth
    slower (0.22 s, in every build without a cache) and rendering them no faster."""
    return _Environment(
        loader=jinja2.FileSystemLoader(templates),
        optimized=False,
        bytecode_cache=CompiledTemplates(bytecode) if isinstance(bytecode, Path) else bytecode,
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template_problem(exc: Exception, templates: Path) -> Problem:
    """Locate a template error at its template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(exc.filename or exc.name or templates, exc.lineno, f"template error: {exc.message}")
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(templates / exc.name, None, "template not found")
    tb, where = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")) and Path(filename).is_relative_to(templates.resolve()):
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    message = f"template error: {type(exc).__name__}: {exc}"
    return Problem(where[0], where[1], message) if where else Problem(templates, None, message)


@dataclass(frozen=True)
class SiteExtras:
    """What pages beyond the model show: the glossary, the Markdown pages, the normalization report, the
    agencies' lineage."""

    glossary: tuple[Term, ...] = ()
    markdown_pages: tuple[MarkdownPage, ...] = ()
    changes: dict[str, int] = field(default_factory=dict)
    lineage: dict[str, Lineage] = field(default_factory=dict)  # agency name → who holds its job today
    citations: dict = field(default_factory=dict)  # in a library: the documents it cites and that cite it


class Renderer:
    """Renders pages for one site: the model, the slugs, the editions and the assets."""

    def __init__(self, templates: Path, config: SiteConfig, document: Document | None,
                 agencies: dict[str, Agency], slugs: Slugs, editions: list[Edition], assets: dict[str, str],
                 extras: SiteExtras = SiteExtras(), prefix: str = "", library=None, env=None):
        self.templates = templates
        self.env = env or environment(templates)  # one per site, so that each template is compiled once
        self.config, self.document, self.agencies = config, document, agencies  # document: None for a library's pages
        self.slugs, self.editions, self.assets, self.extras = slugs, editions, assets, extras
        self.prefix, self.library = prefix, library  # in a library: the document's folder, and the library
        self._paths: dict[tuple[Route, str], str] = {}  # each page's folder, by route and language, once made
        self._item_paths: dict[tuple[int, str], tuple] = {}  # by object (its id) and language: (it, its folder)

    def own(self, route: Route) -> Route:
        """A route of this renderer's document where it names none (templates and views write Route('home'))."""
        return replace(route, doc=self.config.doc) if self.config.doc and not route.doc \
            and route.kind in DOCUMENT_KINDS else route

    def path(self, route: Route, edition: Edition) -> str:
        found = self._paths.get((route, edition.lang))
        if found is None:
            found = self._paths[(route, edition.lang)] = self.own(route).path(edition.lang, self.slugs)
        return found

    def item_path(self, item, edition: Edition) -> str:
        """The folder of a model object's page (route_of), remembered by the object itself."""
        found = self._item_paths.get((id(item), edition.lang))
        if found is None or found[0] is not item:
            found = self._item_paths[(id(item), edition.lang)] = (item, self.path(route_of(item), edition))
        return found[1]

    @property
    def glossary_route(self) -> Route:
        """The glossary's page: the library's one, where it has one, else the document's."""
        return Route("terms") if self.library is not None and self.library.glossary else Route("glossary")

    def render(self, page: Page, edition: Edition) -> str:
        """The HTML of one page in one edition."""
        here = self.path(page.route, edition)
        link = links_from(here)

        def url(target, fragment: str = "") -> str:
            if isinstance(target, str):  # a file at the site root: an asset or data file
                path = self.assets.get(target, target)
            elif isinstance(target, Route):
                path = self.path(target, edition)
            else:
                path = self.item_path(target, edition)
            return link(path) + (f"#{fragment}" if fragment else "")

        # the same page in every edition (for the root page: each edition's home)
        target = Route("home") if page.route.kind == "root" else page.route
        counterparts = [(other, self.path(target, other)) for other in self.editions]
        alternates = [(other, link(path)) for other, path in counterparts]
        # for <link rel="alternate">: absolute where the base URL is known, and x-default
        hreflang = [(other.html_lang, self.absolute(path) or link(path)) for other, path in counterparts]
        hreflang.append(("x-default", self.absolute("") or link("index.html")))

        context = dict(
            page.context,
            e=edition, t=edition.t, url=url, route=page.route, alternates=alternates, hreflang=hreflang,
            here=here, path_of=lambda item: self.item_path(item, edition), absolute=self.absolute,
            csp=CONTENT_SECURITY_POLICY, assets=self.assets, not_found_base=(NOT_FOUND_BASE, NOT_FOUND_POLICY),
            other=self.counterpart(edition),
            doc=self.document, agencies=self.agencies, site=self.config,
            title_of=lambda item, other=None: self.title_of(item, other or edition),
            about_of=lambda item, other=None: self.about_of(item, other or edition),
            own_summary=lambda: summary(self, {}),
            name_of=lambda agency, other=None: self.name_of(agency, other or edition),
            full_name_of=lambda agency, other=None: self.full_name_of(agency, other or edition),
            label=lambda item, other=None: self.label(item, other or edition),
            slug=lambda route: self.slugs.get(self.own(route)), Route=Route, editions=self.editions,
            extras=self.extras, library=self.library, doc_prefix=self.prefix,
            department_route=lambda agency: Route("department", f"{self.config.government}\t{agency.name}"),
            glossary_route=self.glossary_route,
            collaboration_svg=lambda pairs, title, description: self.collaboration_picture(pairs, edition, title,
                                                                                         description),
            by_letter=lambda terms: by_letter(terms, edition.lang),
            citations=lambda item=None: self.citations(page.route, item), known=lambda: self.known,
            text_version=lambda item=None: self.text_version(item, edition),
            heat=heat, normalization=NORMALIZATION_TABLE, lang_of=lang_of, number_key=number_key,
        )
        try:
            return self.template(page.template).render(context)
        except Exception as exc:  # any template failure becomes a located build error
            raise BuildError(template_problem(exc, self.templates)) from None

    def template(self, name: str) -> jinja2.Template:
        """A template, loaded and compiled (once: Jinja2 caches it); its errors located at file and line."""
        try:
            return self.env.get_template(name)
        except Exception as exc:
            raise BuildError(template_problem(exc, self.templates)) from None

    def absolute(self, path: str) -> str | None:
        """The public URL of a path under the site root, if the site's base URL is known."""
        return self.config.base_url + path if self.config.base_url else None

    @cached_property
    def known(self) -> Source:
        """What is known of the document: issuer, number, date (cite.known)."""
        return known(self.config, self.document.meta)

    def citations(self, route: Route, item=None) -> list[tuple[str, str, str]]:
        """How to cite a page of the document (item: a chapter, section or task; None for the whole):
        (language, citation, the page's address in that language's edition), the official Chinese first."""
        source_edition = self.editions[0]
        translated = next((e for e in self.editions if e.translation is not None and e.lang == "en"), None)

        def part(edition):
            if item is None:
                return ""
            if isinstance(item, Task):
                return edition.t("task_n", n=item.number)
            title = self.title_of(item, edition)
            if 'class="pending"' in title:  # an English title still to come: the Chinese stands
                return part(source_edition)
            return (self.label(item, edition) + title.striptags()).strip()

        source = replace(self.known, title_en=self.title_of(None, translated).striptags() if translated else "",
                         part_zh=part(source_edition), part_en=part(translated) if translated else "")

        def address(edition):
            path = self.path(route, edition)
            return self.absolute(path) or path

        found = [("zh", gbt7714(source, address(source_edition)), address(source_edition))]
        if translated:
            found.append(("en", tag_chinese_html(str(escape(english(source, address(translated),
                                                                    self.text_version(item, translated))))),
                          address(translated)))
        return found

    def text_version(self, item, edition: Edition) -> str:
        """The version of the translation a page shows: of the item's passages (a chapter's, section's or
        task's, with all they hold), or of the whole translation for the document (item None)."""
        if item is None:
            return edition.translation.version
        if isinstance(item, Task):
            return edition.translation.version_of([f"task.{item.number}"])
        sections = item.sections if isinstance(item, Chapter) else ()
        heads = [f"{type(item).__name__.lower()}.{item.number}"] + [f"section.{s.number}" for s in sections]
        body = [i for i in item.body] + [i for s in sections for i in s.body]
        return edition.translation.version_of(heads + [f"{'task' if isinstance(i, Task) else 'paragraph'}.{i.number}"
                                                       for i in body])

    def collaboration_picture(self, pairs, edition: Edition, title: str, description: str) -> Markup:
        """The collaboration SVG with the agencies named as this edition names them."""
        index = {name: i for i, name in enumerate(self.agencies)}
        names = [self.name_of(agency, edition).striptags() for agency in self.agencies.values()]
        return collaboration_svg(names, [(index[a.name], index[b.name], n) for a, b, n, *_ in pairs],
                                 title, description)

    def counterpart(self, edition: Edition) -> Edition | None:
        """The edition shown beside this one in the side-by-side view: the source text, or else
        the first translation; None for a site in one language."""
        others = [e for e in self.editions if e is not edition]
        if not others:
            return None
        return edition.translation is None and others[0] or self.editions[0]

    def unit_of(self, item) -> tuple[str, str, str] | None:
        """The translation unit that is an item's text: (its id, its field, the Chinese); None for the
        untitled chapter and for the library's own pages. item None: the document's title."""
        if isinstance(item, Chapter):
            return (f"chapter.{item.number}", "title", item.title) if item.title else None
        if isinstance(item, Paragraph):
            if not item.number:
                return f"preamble.{self.document.preamble.index(item) + 1}", "text", item.text
            return f"paragraph.{item.number}", "text", item.text
        if isinstance(item, Section):
            return f"section.{item.number}", "title", item.title
        if isinstance(item, Task):
            return f"task.{item.number}", "text", item.text
        return None if self.document is None else ("document.title", "title", self.config.title)

    def title_of(self, item, edition: Edition) -> Markup:
        """A chapter's or section's title, a task's or paragraph's text, or the document's title, in the edition."""
        unit = self.unit_of(item)
        if unit is not None:
            return edition.text(*unit)
        if isinstance(item, Chapter):  # the one untitled chapter of a document without chapter headings
            return Markup(escape(edition.t("all_tasks")))
        return Markup(escape(self.config.short_titles.get(edition.lang) or self.config.title))  # a library's

    def about_of(self, item, edition: Edition) -> dict[str, str]:
        """What the edition's translation says of the item's text: its state, who made and reviewed it,
        the translator's note ({} in the source language, or where the English is pending)."""
        unit = self.unit_of(item)
        return edition.translation.about(unit[0]) if unit and edition.translation is not None else {}

    def translation_status(self, edition: Edition) -> tuple[dict[str, int], list[tuple[Markup, Route, str]]]:
        """The edition's entries by review state, and its translator's notes in reading order: (what the
        note is on, as the edition names it; its page; the note)."""
        translation, notes = edition.translation, []
        items = {unit[0]: item for item in (*self.document.tasks, *self.document.sections, *self.document.chapters)
                 if (unit := self.unit_of(item))}  # the pages a note can link to, by unit id
        for unit in units(self.document, self.config.title, self.agencies):
            note_text = translation.about(unit.id).get("note")
            if not note_text:
                continue
            item = self.agencies[unit.key] if unit.kind == "agency" else items.get(unit.id)
            if isinstance(item, Agency):
                what = self.full_name_of(item, edition)
            elif isinstance(item, Task):
                what = Markup(escape(edition.t("task_n", n=item.number)))
            elif item is not None:
                what = Markup(escape(self.label(item, edition))) + self.title_of(item, edition)
            else:  # the title, the preamble, a paragraph: on the document's home page
                what = self.title_of(None, edition)
            route = route_of(item) if item is not None else Route("home")
            notes.append((what, replace(route, doc=self.config.doc), note_text))
        return translation.by_state(), notes

    @staticmethod
    def label(item: Chapter | Section, edition: Edition) -> str:
        """The numbering that heads a chapter or section: 一、/（一） in Chinese, I./(1) in English."""
        if not item.marker:
            return ""
        value = chinese_numeral(re.sub(r"[^零〇○一二两三四五六七八九十百]", "", item.marker))
        kind = "chapter_n" if isinstance(item, Chapter) else "section_n"
        return edition.t(kind, marker=item.marker, n=value, roman=roman(value))

    def name_of(self, agency: Agency, edition: Edition) -> Markup:
        """The agency's name as lists show it: as written in Chinese, the short form in English."""
        return edition.text(f"agency.{agency.name}", "short", agency.name)

    def full_name_of(self, agency: Agency, edition: Edition) -> Markup:
        return edition.text(f"agency.{agency.name}", "name", agency.full_name)


def lang_of(text: str) -> str:
    """The language tag of a text from outside the editions (a source's title): Chinese if it has Chinese."""
    return "zh-Hans" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def roman(number: int) -> str:
    """Roman numeral: 4 → IV, 9 → IX, 51 → LI."""
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


_JOB: tuple[list, Staging, dict] | None = None  # what forked workers do: the jobs, where to write, the names of reads


def render_job(job, names: dict | None) -> tuple[str, list | None]:
    """Render one page job (plan.Job): its HTML and the texts it read, by name (None where it read
    something nameless, which cannot be checked later: the page is not kept by a later build; and
    None, unrecorded, where names is None: a build without a cache has nowhere to keep them)."""
    if names is None:
        return job.renderer.render(job.page, job.edition), None
    with recording() as reads:
        html = job.renderer.render(job.page, job.edition)
    return html, named_reads(reads, names)


def run_job(job, staging: Staging, names: dict | None) -> list | None:
    """Put a job's page in the staging folder, linked from the last site where the cache kept it, else
    rendered and written; returns what it read."""
    if job.existing is not None:
        staging.link(job.path, job.existing)
        return job.kept
    html, read = render_job(job, names)
    staging.write({job.path: html})
    return read


def _render_share(index: int, workers: int) -> dict[str, list | None]:
    """Run every workers-th job, starting at index; returns what each page read."""
    jobs, staging, names = _JOB
    return {job.path: run_job(job, staging, names) for job in jobs[index::workers]}


class RenderPool:
    """Runs page jobs (rendering and writing pages, or linking those the cache kept) in forked worker
    processes while this process goes on.

    Rendering is pure Python and needs nothing but the model, which the workers inherit; each
    writes its pages into the staging folder and hands back what each page read. The jobs are cut
    into small shares; when this process is done with its own work it takes the shares no worker
    has taken yet, so that both cores stay busy to the end. Without fork or a second core, or with
    few pages to render (the other core may have other work), everything is rendered here when
    result() is called. The workers end with the build, whatever stops it.
    """

    SHARES = 16

    def __init__(self, jobs: list, staging: Staging, names: dict | None):
        global _JOB
        rendered = [job for job in jobs if job.existing is None]
        first = {(id(job.renderer), job.page.template): job for job in reversed(rendered)}  # of each template
        self.read = {}
        count = worker_count(3) if len(rendered) >= 4 * self.SHARES else 0  # else not worth a process
        if count:
            # a page of each template rendered here before forking: the templates it imports are compiled,
            # and what a first rendering sets up is made, once (not again in every worker)
            self.read = {job.path: run_job(job, staging, names) for job in first.values()}
            jobs = [job for job in jobs if job.path not in self.read]
            for job in first.values():
                job.renderer.template(job.page.template)  # compiled once, before forking
        _JOB = (jobs, staging, names)
        self.workers = Workers(_render_share, [(i, self.SHARES) for i in range(self.SHARES)], count) if count else None

    def result(self) -> dict[str, list | None]:
        """Render the shares no worker has taken, wait for the rest; returns what each page read."""
        try:
            read = self.read
            for share in self.workers.results() if self.workers is not None else [_render_share(0, 1)]:
                read.update(share)
            return read
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers: after result() there are none; if the build failed or was stopped
        meanwhile, they are ended where they are."""
        global _JOB
        if self.workers is not None:
            self.workers.close()
        self.workers = None
        _JOB = None


