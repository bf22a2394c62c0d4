"""The portal bench (``manage.py bench_portal``): tenant pages against plain single-site Wagtail.

``plain/`` is a plain Wagtail project used only by this bench: no django-tenants, its own database,
the same page models, templates and static files, so both serve byte-identical HTML. ``content``
builds the same pages in both; ``load`` drives the servers (wrk, or a Python keep-alive loop).
"""
