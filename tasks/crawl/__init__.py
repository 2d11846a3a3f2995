"""Crawl: sources in, pages out.

`discover` turns sources (feeds, sitemaps, lists, directories, WARCs) into `Target`s;
`fetch` turns targets into `Page`s, politely (`robots`), safely (`netguard`) and
incrementally (validators from the warehouse). `urls` canonicalises what both see.
"""
