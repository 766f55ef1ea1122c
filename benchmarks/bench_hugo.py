#!/usr/bin/env python3
"""Benchmark our build beside Hugo building a twin site of the same pages: full, no-op and edit rebuilds.

    .venv/bin/python benchmarks/bench_hugo.py [--runs N] [--only shanxi|library] [--markdown]

Every figure is the median wall time of N new processes (`python build.py …`, start-up and imports
included; `hugo …` likewise), taken in N rounds that run each case once, so that a change in the
machine's load meets both sides alike, for the Shanxi document alone and for a generated library of 20
documents (benchmarks/make_library.py). The twin is made from our own full build: one Hugo content
page (an .html file, mirroring our folders as leaf and branch bundles) for every HTML page we wrote,
holding our page's <main> (less its breadcrumbs), with a base layout of like weight (head, header and
navigation, language switch, breadcrumbs from the page's ancestors, footer). Hugo's sitemap, RSS,
taxonomy, robots.txt and 404 pages are disabled, so both sides write the same pages. Both full builds
start from nothing: ours deletes the output folder and the build cache (<out>/../.policysite-cache)
first, and passes --no-cache when build.py has it; Hugo's deletes its output, resources and cache. Our package's modules are compiled to bytecode first, as `pip install` does (a machine that sets
PYTHONDONTWRITEBYTECODE would otherwise compile them anew in every timed process: 0.05–0.1 s each).
Prints figures against the targets (ratios to Hugo's full build); asserts nothing.
"""

from __future__ import annotations

import argparse
import compileall
import html
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHANXI = Path("documents") / "shanxi-2012-energy-saving-division"  # inside a copy of content/
HUGO = shutil.which("hugo") or "/usr/bin/hugo"
TASK = re.compile(r"^(\u3000*\d+\.)", re.M)
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_library import make  # noqa: E402

HUGO_CONFIG = """baseURL = "/"
title = "twin"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
disablePathToLower = true
relativeURLs = true
[outputs]
home = ["HTML"]
section = ["HTML"]
page = ["HTML"]
[params.nav]
zh = [["", "目录"], ["agencies/", "按责任单位浏览"], ["glossary/", "术语表"], ["about/", "关于本站"], ["open-data/", "开放数据"]]
en = [["", "Contents"], ["agencies/", "By agency"], ["glossary/", "Glossary"], ["about/", "About"], ["open-data/", "Open data"]]
"""
BASEOF = """{{ $path := .RelPermalink }}{{ $lang := "zh" }}{{ $other := "" }}
{{- if hasPrefix $path "/en/" }}{{ $lang = "en" }}{{ $other = printf "/zh/%s" (strings.TrimPrefix "/en/" $path) }}
{{- else if hasPrefix $path "/zh/" }}{{ $other = printf "/en/%s" (strings.TrimPrefix "/zh/" $path) }}{{ end }}
{{- $home := or (site.GetPage (printf "/%s" $lang)) site.Home -}}
<!DOCTYPE html>
<html lang="{{ if eq $lang "en" }}en{{ else }}zh-Hans{{ end }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<title>{{ .Title }}</title>
<meta name="description" content="{{ .Description }}">
<meta property="og:title" content="{{ .LinkTitle }}">
<meta property="og:description" content="{{ .Description }}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="{{ $home.LinkTitle }}">
<meta property="og:locale" content="{{ if eq $lang "en" }}en_US{{ else }}zh_CN{{ end }}">
<script src="/static/site.js" defer></script>
{{ with $other }}<link rel="alternate" hreflang="{{ if eq $lang "en" }}zh-Hans{{ else }}en{{ end }}" href="{{ . }}">
<link rel="alternate" hreflang="{{ if eq $lang "en" }}en{{ else }}zh-Hans{{ end }}" href="{{ $path }}">{{ end }}
</head>
<body>
<a class="skip" href="#main">{{ if eq $lang "en" }}Skip to content{{ else }}跳到正文{{ end }}</a>
<header class="site-header">
  <div class="wrap">
    <a class="site-title" href="/{{ $lang }}/">{{ $home.LinkTitle }}</a>
    <form class="site-search" role="search" action="/{{ $lang }}/search/" method="get">
      <input id="site-q" name="q" type="search"><button type="submit">{{ if eq $lang "en" }}Search{{ else }}搜索{{ end }}</button>
    </form>
    <nav class="site-nav">
      <ul>
        {{- range index site.Params.nav $lang }}
        <li><a href="/{{ $lang }}/{{ index . 0 }}">{{ index . 1 }}</a></li>
        {{- end }}
        {{ with $other }}<li class="lang-switch"><a href="{{ . }}">{{ if eq $lang "en" }}中文{{ else }}English{{ end }}</a></li>{{ end }}
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
<nav class="breadcrumbs" aria-label="breadcrumbs">
  <ol>
    {{- range .Ancestors.Reverse }}
    <li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
    {{- end }}
    <li><span aria-current="page">{{ .LinkTitle }}</span></li>
  </ol>
</nav>
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <div class="wrap"><p>{{ if eq $lang "en" }}The Chinese text is the official one.{{ else }}中文为正式文本。{{ end }}</p></div>
</footer>
</body>
</html>
"""
MAIN = '{{ define "main" }}{{ .Content }}{{ end }}\n'


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def our_pages(site: Path) -> list[Path]:
    """The HTML pages a build wrote: every index.html, and the HTML files at the top."""
    return sorted([*site.rglob("index.html"), *(p for p in site.glob("*.html") if p.name != "index.html")])


def make_twin(site: Path, twin: Path) -> None:
    """Write a Hugo site with one content page, holding the same text, for every page of ours."""
    pages = our_pages(site)
    dirs = {p.parent.relative_to(site).as_posix() for p in pages if p.name == "index.html"}
    parents = {up.as_posix() for d in dirs for up in Path(d).parents}  # folders with pages below: branch bundles
    for page in pages:
        source = page.read_text(encoding="utf-8")
        main = re.search(r"<main\b[^>]*>(.*)</main>", source, re.S) or re.search(r"<body\b[^>]*>(.*)</body>", source, re.S)
        body = re.sub(r'<nav class="breadcrumbs".*?</nav>\s*', "", main.group(1), count=1, flags=re.S)
        title = re.search(r"<title>(.*?)</title>", source, re.S)
        h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", source, re.S)
        described = re.search(r'<meta name="description" content="([^"]*)"', source)
        front = {"title": text_of(title.group(1)) if title else page.stem,
                 "linkTitle": text_of(h1.group(1)) if h1 else "",
                 "description": html.unescape(described.group(1)) if described else ""}
        rel = page.parent.relative_to(site).as_posix()
        if page.name != "index.html":
            target = twin / "content" / f"top-{page.stem}.html"
            front["url"] = f"/{page.name}"
        elif rel == ".":
            target = twin / "content" / "_index.html"
        else:
            target = twin / "content" / rel / ("_index.html" if rel in parents else "index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(front, ensure_ascii=False, indent=1) + "\n" + body, encoding="utf-8")
    (twin / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = twin / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    for name in ("single.html", "list.html"):
        (layouts / name).write_text(MAIN, encoding="utf-8")
    (twin / "layouts" / "index.html").write_text(MAIN, encoding="utf-8")


def timed(command: list[str], before=None) -> float:
    """Wall time of one new process running the command (after calling before(), untimed)."""
    if before:
        before()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def toggler(path: Path, change):
    """A function that, called again and again, writes the file alternately changed and as it was."""
    original = path.read_text(encoding="utf-8")
    state = {"changed": False}

    def toggle() -> None:
        state["changed"] = not state["changed"]
        path.write_text(change(original) if state["changed"] else original, encoding="utf-8")
    return toggle


def edit_task(text: str) -> str:
    """The text with one character inserted into its first numbered task."""
    return TASK.sub(r"\1要", text, count=1)


def size(files) -> int:
    return sum(p.stat().st_size for p in files)


def measure(name: str, content: Path, edited: Path, work: Path, runs: int, targets: tuple[float, ...],
            edit_label: str, templates: bool) -> list[tuple]:
    """Time our builds and Hugo's twin build of one content folder; returns the table rows
    (case, ours, Hugo's full build, target as a multiple of Hugo's full build or None, our full build)."""
    out, cache = work / "site", work / ".policysite-cache"
    build = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--quiet"]
    help_text = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True).stdout
    full = build + (["--no-cache"] if "--no-cache" in help_text else [])

    def no_cache() -> None:  # from nothing, as Hugo's full build is timed (clean_hugo)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)

    timed(full, no_cache)  # warm-up, and the pages for the twin
    pages = our_pages(out)
    other = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".html"]
    twin, public = work / "twin", work / "public"
    make_twin(out, twin)
    hugo = [HUGO, "--quiet", "-s", str(twin), "-d", str(public), "--ignoreCache",
            "--cacheDir", str(twin / "cache")]

    def clean_hugo() -> None:
        for folder in (public, twin / "resources", twin / "cache"):
            shutil.rmtree(folder, ignore_errors=True)

    timed(hugo, clean_hugo)  # warm-up, and the page count
    theirs = sorted(public.rglob("*.html"))
    ours_rel = {p.relative_to(out).as_posix() for p in pages}
    theirs_rel = {p.relative_to(public).as_posix() for p in theirs}
    print(f"{name}: ours {len(pages)} HTML pages, {size(pages) / 2**20:.1f} MiB, plus {len(other)} other files "
          f"({size(other) / 2**20:.1f} MiB: static files, search index, data) that the twin leaves out; "
          f"Hugo twin {len(theirs)} HTML pages, {size(theirs) / 2**20:.1f} MiB"
          + ("" if ours_rel == theirs_rel else
             f" — PAGES DIFFER: only ours {sorted(ours_rel - theirs_rel)[:3]}, only Hugo's {sorted(theirs_rel - ours_rel)[:3]}"),
          flush=True)

    with_templates = toggle_template = None
    if templates:
        copy = work / "templates"
        shutil.copytree(ROOT / "templates", copy)
        with_templates = build + ["--templates", str(copy)]
        toggle_template = toggler(copy / "task.html",
                                  lambda t: t.replace("{% block content %}", "{% block content %}<!-- edited -->", 1))
    toggle_task = toggler(edited, edit_task)
    times: dict[str, list[float]] = {"hugo": [], "full": [], "noop": [], "edit": [], "template": []}
    for _ in range(runs):  # one of each per round, so that both sides meet the machine's load alike
        times["hugo"].append(timed(hugo, clean_hugo))
        times["full"].append(timed(full, no_cache))
        timed(build)  # fills the cache
        times["noop"].append(timed(build))
        times["edit"].append(timed(build, toggle_task))
        if with_templates:
            timed(with_templates)
            times["template"].append(timed(with_templates, toggle_template))
    hugo_full, our_full = statistics.median(times["hugo"]), statistics.median(times["full"])
    rows = [(f"{name}: full build, no cache", our_full, hugo_full, targets[0], our_full),
            (f"{name}: no-op rebuild", statistics.median(times["noop"]), hugo_full, targets[1], our_full),
            (f"{name}: {edit_label}", statistics.median(times["edit"]), hugo_full, targets[2], our_full)]
    if with_templates:
        rows.append((f"{name}: one template edited", statistics.median(times["template"]), hugo_full, None,
                     our_full))
    return rows


def table(rows: list[tuple], markdown: bool) -> None:
    """Print one line per case: ours, Hugo's full build, the ratio, the target and whether it is met."""
    head = ("case", "ours (s)", "Hugo full (s)", "ours/Hugo", "target", "met")
    lines = []
    for case, ours, hugo, limit, own_full in rows:
        if limit is None:
            target, met = f"≤ our full build ({own_full:.2f} s)", ours <= own_full
        else:
            target, met = f"≤ {limit:g}× Hugo full", ours / hugo <= limit
        lines.append((case, f"{ours:.2f}", f"{hugo:.2f}", f"{ours / hugo:.2f}×", target, "yes" if met else "no"))
    if markdown:
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(row[i]) for row in [head, *lines]) for i in range(len(head))]
        for line in [head, *lines]:
            print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    hugo = subprocess.run([HUGO, "version"], capture_output=True, text=True).stdout.split()[:2]
    return (f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}; "
            f"Hugo {' '.join(hugo[1:]) or '?'}; {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (default 5)")
    parser.add_argument("--only", choices=["shanxi", "library"], help="run one half only")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "policysite", quiet=1)
    print(f"machine: {machine()}; median of {args.runs} runs each", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-hugo-") as tmp:
        if args.only != "library":
            work = Path(tmp) / "shanxi"
            shutil.copytree(ROOT / "content", work / "content")
            document = work / "content" / SHANXI
            rows += measure("Shanxi", document, next(document.glob("*.zh.txt")), work, args.runs, (3, 1, 1.5),
                            "one task's text edited", templates=True)
        if args.only != "shanxi":
            work = Path(tmp) / "library"
            content = make(20, work / "content")
            rows += measure("library", content, content / "documents" / "doc-001" / "source.zh.txt", work, args.runs,
                            (4, 1, 1.5), "one document edited (one task's text)", templates=False)
    table(rows, args.markdown)


if __name__ == "__main__":
    main()
