"""Closing a site and migrating it upward (关停上移), one module per step:

plan → notice → execute → redirect → verify → rollback → archive (+ report for the national
offline report). ``models`` holds the public-schema bookkeeping every step reads and writes.
Views (console wizard) and the ``close_site`` command stay thin and call these modules.
"""
