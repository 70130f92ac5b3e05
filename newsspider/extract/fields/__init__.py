"""Field readers: one module a record field (or a family of them), each reading the page analysis in its order of
trust: structured data first, then the visible page."""
