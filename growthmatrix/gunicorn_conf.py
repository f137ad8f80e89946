"""gunicorn settings for production: ``gunicorn -c python:growthmatrix.gunicorn_conf
growthmatrix.wsgi``. Command-line options (--bind, --workers, --threads) still apply."""

import gc
import sys

worker_class = "gthread"
threads = 4


def post_worker_init(worker):
    """Django, the project and its templates are loaded now and live as long as the worker:
    freeze them so that the garbage collector stops walking them again on every full
    collection, and collect less often (a page allocates tens of thousands of objects,
    nearly all freed by reference counting when the response is sent).

    A thread back from the database waits for the interpreter lock while another renders a
    page; handing the lock over every millisecond instead of every five keeps a page with a
    dozen queries from queuing behind a long one at each of them."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    sys.setswitchinterval(0.001)
