"""gunicorn settings for production: ``gunicorn -c python:growthmatrix.gunicorn_conf
growthmatrix.wsgi``. Command-line options (--bind, --workers, --threads) still apply."""

import gc
import logging
import sys
from pathlib import Path

worker_class = "gthread"
threads = 4


def compile_templates():
    """Compile the pages' and forms' templates before the first request instead of in it:
    otherwise after every start each worker draws its first page of each kind slowly. A
    template of the project that does not compile is logged and left to fail on its own page;
    a library's template that does not compile here is one of a feature not installed
    (allauth's two-factor pages need django.contrib.humanize) and is left alone."""
    from django.conf import settings
    from django.forms.renderers import get_default_renderer
    from django.template import TemplateSyntaxError, engines

    project, installed = Path(settings.BASE_DIR).resolve(), Path(sys.prefix).resolve()

    def of_the_project(directory: Path) -> bool:
        where = directory.resolve()
        return where.is_relative_to(project) and not where.is_relative_to(installed)

    for engine in (engines["django"].engine, get_default_renderer().engine.engine):
        for loader in engine.template_loaders:
            for source in getattr(loader, "loaders", [loader]):
                for directory in map(Path, source.get_dirs()):
                    if "contrib/admin" in directory.as_posix():
                        continue  # Django's admin, for the rare superuser, compiles on use
                    for path in sorted(directory.rglob("*.html")):
                        name = path.relative_to(directory).as_posix()
                        try:
                            engine.get_template(name)
                        except TemplateSyntaxError:
                            if of_the_project(directory):
                                logging.getLogger(__name__).exception("Template %s", name)


def compile_reads():
    """Build the SQL of every prepared read (coordinators/prepared.py) before the first request
    instead of in it: a worker's first move otherwise built a dozen reads, 20–40 ms. The URLs'
    views are imported first, with the reads they define; the connection used to learn the
    server's version is closed, as the request threads open their own."""
    from django.db import connections
    from django.urls import get_resolver

    from coordinators.prepared import compile_every

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    try:
        compile_every()
    finally:
        connections.close_all()


def ready_worker():
    """Django, the project and its templates are loaded now and live as long as the worker:
    compile the templates and the prepared reads, then freeze what is loaded so that the
    garbage collector stops walking it again on every full collection, and collect less often
    (a page allocates tens of thousands of objects, nearly all freed by reference counting
    when the response is sent). ``make bench`` readies its process the same way before it
    times the pages, so that it measures what a server's worker spends.

    A thread back from the database waits for the interpreter lock while another renders a
    page; handing the lock over every millisecond instead of every five keeps a page with a
    dozen queries from queuing behind a long one at each of them."""
    compile_templates()
    compile_reads()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    sys.setswitchinterval(0.001)


def post_worker_init(worker):
    ready_worker()
