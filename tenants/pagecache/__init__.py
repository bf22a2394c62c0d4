"""Whole public pages cached for anonymous visitors, per site, purged the moment anything changes.

``store``: the key scheme and the per-site generation (a purge is one write, whatever the number of
pages); ``middleware``: what may be served from and stored into the cache; ``receivers``: every
change that purges a site. See README "Page cache".
"""
