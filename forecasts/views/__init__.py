"""The site's server-rendered pages, one module per area."""
