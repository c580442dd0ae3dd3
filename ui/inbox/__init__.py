"""The Inkorg page: the mailbox model over the core's folders (`model`), the page with folders,
search, the message list and the reading pane (`view`, `reading_pane`), and the dialogs for
writing and withdrawing a message (`compose`, `withdraw`)."""
