"""Stage 6a: the render plan: every page of every edition as a job, keyed by the inputs it depends on.

A page job's key sums up what its output depends on besides the texts it reads: the generator's
version, the templates, its renderer's state (the document's structure, agencies, slugs, strings,
extras, with the volatile texts left out: reads.skeleton) and the page itself (route, template, its
facts). The texts it reads (tasks, headings, translation entries, asset names) are recorded as it
renders. A job can be skipped, its last output kept, when the cache holds the same key and every
text it read then is the same now; any other job is rendered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2.meta

from .reads import digest, skeleton, value_of


def volatile_names(site) -> dict[str, object]:
    """Every object of the site whose reads are recorded, by a name that stays the same from build to
    build: the texts of each document, its translations, the site's asset names."""
    named: dict[str, object] = {"assets": site.renderer.assets}
    for renderer, _ in site.renderers:
        doc = renderer.config.doc
        for edition in renderer.editions:
            if edition.translation is not None:
                named.setdefault(f"{doc}/{edition.lang}/translation", edition.translation)
        document = renderer.document
        if document is None:
            continue
        for i, paragraph in enumerate(document.preamble):
            named[f"{doc}/preamble/{i}"] = paragraph
        for chapter in document.chapters:
            named[f"{doc}/chapter/{chapter.number}"] = chapter
            for item in chapter.body + tuple(i for s in chapter.sections for i in s.body):
                named[f"{doc}/{type(item).__name__.lower()}/{item.number}"] = item
            for section in chapter.sections:
                named[f"{doc}/section/{section.number}"] = section
    return named


def renderer_state(renderer) -> dict:
    """What a renderer renders from, besides its templates' files and the asset names (recorded as read):
    all its attributes but the Jinja2 environment and what is derived from the rest."""
    return {name: value for name, value in vars(renderer).items() if name not in ("env", "assets", "known")}


class TemplateDigests(dict):
    """template name → a digest of its source and of every template it extends, imports or includes (all
    the folder's templates where a name is only known as it renders)."""

    def __init__(self, renderer, memo=None):
        super().__init__()
        self.renderer, self.env, self.memo = renderer, renderer.env, memo

    def __missing__(self, name: str) -> bytes:
        self[name] = b""  # a template that names itself, through others, is summed once
        h = hashlib.blake2b(name.encode() + b"\0", digest_size=16)
        try:
            source = self.env.loader.get_source(self.env, name)[0]
            referenced = self._referenced(source)
        except jinja2.TemplateError:
            self.renderer.template(name)  # raises the error, located at the template's file and line
            raise
        h.update(source.encode())
        if None in referenced:
            referenced = self.env.list_templates()
        for other in sorted(set(referenced) - {name}):
            h.update(other.encode() + b"\0" + self[other])
        self[name] = h.digest()
        return self[name]

    def _referenced(self, source: str) -> list:
        """The templates a source names (None for a name known only as it renders); parsing is most of a
        rebuild's time for templates, so a memo (cache.Memo) keeps the answer by the source's digest."""
        key = "refs " + hashlib.blake2b(source.encode(), digest_size=16).hexdigest()
        known = self.memo.get(key) if self.memo is not None else None
        if isinstance(known, list) and all(n is None or isinstance(n, str) for n in known):
            return known
        referenced = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
        if self.memo is not None:
            self.memo.put(key, referenced)
        return referenced


@dataclass
class Job:
    """One page in one edition: where it is written, what renders it, and its key."""

    path: str
    renderer: object
    page: object
    edition: object
    key: str | None  # None in a build without a cache
    existing: str | None = None  # where the last build's page is, when the cache lets the build keep it
    kept: list | None = None  # and what that page read


class Plan:
    """The page jobs of a site, keyed; which of them the cache lets the build keep."""

    def __init__(self, site, generator: str, root_pages: dict | None = None, references=None, keyed: bool = True):
        """The jobs of every page of site.renderers, in each edition; then root_pages (path → Page), which
        the first renderer renders in its first edition at those paths (the site's index and 404 pages).
        references: where the templates' references are remembered (a cache.Memo), if anywhere.
        keyed: whether jobs get their keys (a build without a cache has no use for them: None)."""
        self.names = volatile_names(site)
        self.ids = {id(obj): name for name, obj in self.names.items()}
        self._now: dict = {}
        memo: dict = {}
        self.templates = templates = TemplateDigests(site.renderer, references)

        def job(path: str, renderer, page, edition, state: bytes) -> Job:
            if not keyed:
                return Job(path, renderer, page, edition, None)
            key = hashlib.blake2b(b"\0".join([generator.encode(), templates[page.template], state, path.encode(),
                                               skeleton((page.route, page.template, page.context), memo)]),
                                  digest_size=16).hexdigest()
            return Job(path, renderer, page, edition, key)

        self.jobs: list[Job] = []
        for renderer, pages in site.renderers:
            state = skeleton(renderer_state(renderer), memo) if keyed else b""
            self.jobs += [job(renderer.path(page.route, edition) + "index.html", renderer, page, edition, state)
                          for edition in renderer.editions for page in pages]
        renderer = site.renderer
        state = skeleton(renderer_state(renderer), memo) if keyed else b""
        self.jobs += [job(path, renderer, page, renderer.editions[0], state) for path, page in (root_pages or {}).items()]

    def unchanged(self, job: Job, entry) -> bool:
        """Whether a cache entry [key, reads] holds for the job: the same key, and every text it read
        then the same now."""
        key, reads = entry
        if key != job.key or reads is None:
            return False
        return all(self.now(name, field) == seen for name, field, seen in reads)

    def now(self, name: str, field: str) -> str | None:
        """The digest of what a read of the named object's field sees now (None if there is no such object);
        remembered, but for the asset names, which the search stage adds to."""
        found = self._now.get((name, field), self)
        if found is self:
            obj = self.names.get(name)
            found = None if obj is None else digest(value_of(obj, field)).hex()
            if name != "assets":
                self._now[(name, field)] = found
        return found
