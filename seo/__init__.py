"""What search engines and feed readers read: schema.org JSON-LD and meta tags on pages, the Atom feed,
the sitemap and robots.txt. No models; the site layer (``home``) names the publisher (``site.site_name``)."""
