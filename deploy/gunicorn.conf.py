"""gunicorn settings beside the command line of `make serve` (and bench/scale's app servers).

Each worker lays out a short Thai PDF once it has loaded the portal and before it takes a
request (reports.pdf.warm_up): WeasyPrint's start, fontconfig and the Sarabun faces cost a new
worker's first PDF about two seconds otherwise, paid by whoever asked for it (docs/performance.md).
"""


def post_worker_init(worker) -> None:
    from reports.pdf import warm_up

    try:
        seconds = warm_up()
    except Exception:  # a broken renderer must not stop the pages: the first PDF will say why
        worker.log.exception("PDF renderer warm-up failed")
        return
    worker.log.info("PDF renderer warmed up in %.2f s", seconds)
