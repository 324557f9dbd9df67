"""The outputs that are not pages: feeds, calendars, open data, the sitemap and the search index."""
