"""Pages from templates: the Jinja2 environment, formats, charts and page metadata."""
