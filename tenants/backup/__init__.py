"""One site's backup and restore: export → archive file → restore (same or another platform).

- ``bundle``: the archive file itself (a tar with ``manifest.json`` listing every member's SHA-256;
  a restore checks all of them before it changes anything).
- ``files``: a site's media files and the library's files, on local disk or S3 alike.
- ``export``: what a site is, collected into a bundle: its schema (``tenants.lib.schema_dump.dump_schema``,
  the one dump function), its media, its library contributions and the resources syndicated to it
  (with their attachments), and its people (identity accounts and their roles on the site).
- ``restore``: the reverse, in one database transaction; files written are removed again if it fails.
"""
