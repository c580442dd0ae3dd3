"""The case list: a paged Qt model over the database (`model`), the filter state (`filter_bar`)
and the page that shows them (`view`)."""
