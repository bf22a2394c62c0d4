"""Web conventions of every public site: head metadata, robots.txt, sitemap.xml, 网站地图, 联系我们,
the themed 404/500 pages and the identity flag shown to editors."""
